package dev.shoal.repo.repo.repository;

import dev.shoal.repo.repo.Repo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** SQL for the {@code repository} table. */
@ApplicationScoped
public class RepoRepository {

    private static final String COLUMNS = "id, org_id, org, name, description, is_private, default_branch, created_at, updated_at";

    public Uni<Repo> insert(SqlClient db, long orgId, String org, String name, String description, boolean isPrivate,
                            String defaultBranch) {
        return db.preparedQuery("INSERT INTO repository (org_id, org, name, description, is_private, default_branch) "
                        + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + COLUMNS)
                .execute(Tuple.tuple(List.of(orgId, org, name, description, isPrivate, defaultBranch)))
                .map(RepoRepository::first);
    }

    public Uni<Repo> findById(SqlClient db, long id) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM repository WHERE id = $1")
                .execute(Tuple.of(id)).map(RepoRepository::first);
    }

    public Uni<Repo> findByName(SqlClient db, String org, String name) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM repository WHERE lower(org) = lower($1) AND lower(name) = lower($2)")
                .execute(Tuple.of(org, name)).map(RepoRepository::first);
    }

    /** One page of an organization's repositories and how many it has in all. */
    public record OrgPage(List<Repo> repos, long total) {
    }

    /**
     * One page and the total in one round trip (the count is a window over every matching row,
     * taken before the limit); past the last page no row carries it, so it is counted apart.
     */
    public Uni<OrgPage> pageByOrg(SqlClient db, String org, boolean includePrivate, long offset, int limit) {
        return db.preparedQuery("SELECT " + COLUMNS + ", count(*) OVER () AS total FROM repository WHERE lower(org) = lower($1) "
                        + "AND (is_private = false OR $2) ORDER BY lower(name), id LIMIT $3 OFFSET $4")
                .execute(Tuple.of(org, includePrivate, limit, offset))
                .chain(rows -> {
                    List<Repo> repos = all(rows);
                    if (!repos.isEmpty() || offset == 0) {
                        long total = repos.isEmpty() ? 0 : rows.iterator().next().getLong("total");
                        return Uni.createFrom().item(new OrgPage(repos, total));
                    }
                    return countByOrg(db, org, includePrivate).map(total -> new OrgPage(repos, total));
                });
    }

    private Uni<Long> countByOrg(SqlClient db, String org, boolean includePrivate) {
        return db.preparedQuery("SELECT count(*) FROM repository WHERE lower(org) = lower($1) AND (is_private = false OR $2)")
                .execute(Tuple.of(org, includePrivate)).map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Public repositories of every organization, optionally filtered by organization and by a
     * case-insensitive name pattern (SQL LIKE, already escaped by the caller; null for any).
     */
    public Uni<List<Repo>> listPublic(SqlClient db, String org, String namePattern, long offset, int limit) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM repository WHERE is_private = false "
                        + "AND ($1::text IS NULL OR lower(org) = lower($1)) AND ($2::text IS NULL OR lower(name) LIKE lower($2)) "
                        + "ORDER BY lower(org), lower(name), id LIMIT $3 OFFSET $4")
                .execute(Tuple.of(org, namePattern, limit, offset)).map(RepoRepository::all);
    }

    public Uni<Long> countPublic(SqlClient db, String org, String namePattern) {
        return db.preparedQuery("SELECT count(*) FROM repository WHERE is_private = false "
                        + "AND ($1::text IS NULL OR lower(org) = lower($1)) AND ($2::text IS NULL OR lower(name) LIKE lower($2))")
                .execute(Tuple.of(org, namePattern)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<List<Long>> allIds(SqlClient db) {
        return db.query("SELECT id FROM repository ORDER BY id").execute().map(rows -> {
            List<Long> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getLong(0)));
            return ids;
        });
    }

    public Uni<Repo> update(SqlClient db, long id, String description, boolean isPrivate, String defaultBranch) {
        return db.preparedQuery("UPDATE repository SET description = $2, is_private = $3, default_branch = $4, "
                        + "updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(id, description, isPrivate, defaultBranch)).map(RepoRepository::first);
    }

    /** Removes the repository and everything that hangs off it in this database. */
    public Uni<Void> delete(SqlClient db, long id) {
        return db.preparedQuery("DELETE FROM ref_journal WHERE repo_id = $1").execute(Tuple.of(id))
                .chain(() -> db.preparedQuery("DELETE FROM repository WHERE id = $1").execute(Tuple.of(id)))
                .replaceWithVoid();
    }

    private static Repo first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? map(it.next()) : null;
    }

    private static List<Repo> all(RowSet<Row> rows) {
        List<Repo> list = new ArrayList<>();
        rows.forEach(r -> list.add(map(r)));
        return list;
    }

    static Repo map(Row row) {
        return new Repo(row.getLong("id"), row.getLong("org_id"), row.getString("org"), row.getString("name"),
                row.getString("description"), row.getBoolean("is_private"), row.getString("default_branch"),
                row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
    }
}
