package dev.shoal.repo.protection.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** SQL for {@code branch_protection}. */
@ApplicationScoped
public class ProtectionRepository {

    public Uni<Instant> find(SqlClient db, long repoId, String branch) {
        return db.preparedQuery("SELECT created_at FROM branch_protection WHERE repo_id = $1 AND branch = $2")
                .execute(Tuple.of(repoId, branch))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getOffsetDateTime(0).toInstant() : null);
    }

    public Uni<Instant> upsert(SqlClient db, long repoId, String branch) {
        return db.preparedQuery("INSERT INTO branch_protection (repo_id, branch) VALUES ($1, $2) "
                        + "ON CONFLICT (repo_id, branch) DO UPDATE SET branch = EXCLUDED.branch RETURNING created_at")
                .execute(Tuple.of(repoId, branch))
                .map(rows -> rows.iterator().next().getOffsetDateTime(0).toInstant());
    }

    public Uni<Void> delete(SqlClient db, long repoId, String branch) {
        return db.preparedQuery("DELETE FROM branch_protection WHERE repo_id = $1 AND branch = $2")
                .execute(Tuple.of(repoId, branch)).replaceWithVoid();
    }

    public Uni<Set<String>> all(SqlClient db, long repoId) {
        return db.preparedQuery("SELECT branch FROM branch_protection WHERE repo_id = $1").execute(Tuple.of(repoId))
                .map(rows -> {
                    Set<String> branches = new HashSet<>();
                    rows.forEach(r -> branches.add(r.getString(0)));
                    return branches;
                });
    }
}
