package dev.shoal.repo.repo.repository;

import dev.shoal.platform.db.WindowedPage;
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
    /** The repositories of organization $1, the private ones only when $2. */
    private static final String OF_ORG = "lower(org) = lower($1) AND (is_private = false OR $2)";
    /** Public repositories, of organization $1 unless null, with a name like $2 unless null. */
    private static final String PUBLIC = "is_private = false AND ($1::text IS NULL OR lower(org) = lower($1)) "
            + "AND ($2::text IS NULL OR lower(name) LIKE lower($2))";

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

    /** A page of an organization's repositories, the private ones only with {@code includePrivate}. */
    public Uni<WindowedPage<Repo>> pageByOrg(SqlClient db, String org, boolean includePrivate, long offset, int limit) {
        return page(db, OF_ORG, org, includePrivate, "lower(name), id", offset, limit);
    }

    /**
     * A page of public repositories of every organization, optionally filtered by organization and by
     * a case-insensitive name pattern (SQL LIKE, already escaped by the caller; null for any).
     */
    public Uni<WindowedPage<Repo>> pagePublic(SqlClient db, String org, String namePattern, long offset, int limit) {
        return page(db, PUBLIC, org, namePattern, "lower(org), lower(name), id", offset, limit);
    }

    /** One page and the total in one round trip ({@link WindowedPage}); {@code where}'s parameters are $1 and $2. */
    private Uni<WindowedPage<Repo>> page(SqlClient db, String where, Object first, Object second, String orderBy, long offset,
                                         int limit) {
        return db.preparedQuery("SELECT " + COLUMNS + ", count(*) OVER () AS total FROM repository WHERE " + where
                        + " ORDER BY " + orderBy + " LIMIT $3 OFFSET $4")
                .execute(Tuple.of(first, second, limit, offset))
                .chain(rows -> WindowedPage.of(rows, offset, RepoRepository::map,
                        () -> db.preparedQuery("SELECT count(*) FROM repository WHERE " + where).execute(Tuple.of(first, second))
                                .map(count -> count.iterator().next().getLong(0))));
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
