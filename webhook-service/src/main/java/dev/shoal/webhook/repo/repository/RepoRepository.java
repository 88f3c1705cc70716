package dev.shoal.webhook.repo.repository;

import dev.shoal.webhook.repo.RepoInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class RepoRepository {

    /** Keeps the newest identity; description and default branch only change when the event carries them. */
    /**
     * Stores a repository's identity from an event and returns the row as stored (null description
     * and default branch keep what is known), in one round trip.
     */
    public Uni<RepoInfo> upsertAndGet(SqlClient client, long id, String org, String name, boolean isPrivate,
                                      String description, String defaultBranch) {
        return client.preparedQuery("INSERT INTO repo (id, org, name, is_private, description, default_branch) "
                        + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET org = EXCLUDED.org, "
                        + "name = EXCLUDED.name, is_private = EXCLUDED.is_private, "
                        + "description = COALESCE(EXCLUDED.description, repo.description), "
                        + "default_branch = COALESCE(EXCLUDED.default_branch, repo.default_branch), updated_at = now() "
                        + "RETURNING *")
                .execute(Tuple.from(new Object[] {id, org, name, isPrivate, description, defaultBranch}))
                .map(rows -> map(rows.iterator().next()));
    }

    public Uni<Void> delete(SqlClient client, long id) {
        return client.preparedQuery("DELETE FROM repo WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Optional<RepoInfo>> find(SqlClient client, long id) {
        return client.preparedQuery("SELECT * FROM repo WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    public Uni<Optional<RepoInfo>> findByName(SqlClient client, String org, String name) {
        return client.preparedQuery("SELECT * FROM repo WHERE lower(org) = lower($1) AND lower(name) = lower($2)")
                .execute(Tuple.of(org, name))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    private static RepoInfo map(Row row) {
        return new RepoInfo(row.getLong("id"), row.getString("org"), row.getString("name"), row.getBoolean("is_private"),
                row.getString("description"), row.getString("default_branch"));
    }
}
