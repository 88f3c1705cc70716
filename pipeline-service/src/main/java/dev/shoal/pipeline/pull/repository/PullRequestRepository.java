package dev.shoal.pipeline.pull.repository;

import dev.shoal.pipeline.pull.PullRequestRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** SQL for the {@code pull_request} table (kept from pull_request.* events). */
@ApplicationScoped
public class PullRequestRepository {

    private static final String COLUMNS = "repo_id, number, title, status, source_branch, target_branch, head_sha, from_fork, "
            + "updated_at";

    /** Inserts or replaces the pull request as the event says it is now. */
    public Uni<Void> upsert(SqlClient tx, PullRequestRow pr) {
        return tx.preparedQuery("INSERT INTO pull_request (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()) "
                        + "ON CONFLICT (repo_id, number) DO UPDATE SET title = EXCLUDED.title, status = EXCLUDED.status, "
                        + "source_branch = EXCLUDED.source_branch, target_branch = EXCLUDED.target_branch, "
                        + "head_sha = EXCLUDED.head_sha, from_fork = EXCLUDED.from_fork, updated_at = now()")
                .execute(Tuple.from(new Object[] {pr.repoId(), pr.number(), pr.title(), pr.status(), pr.sourceBranch(),
                        pr.targetBranch(), pr.headSha(), pr.fromFork()}))
                .replaceWithVoid();
    }

    public Uni<Long> countOpen(SqlClient client, long repoId) {
        return client.preparedQuery("SELECT count(*) FROM pull_request WHERE repo_id = $1 AND status = 'open'")
                .execute(Tuple.of(repoId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Open pull requests, newest first. */
    public Uni<List<PullRequestRow>> listOpen(SqlClient client, long repoId, int limit, long offset) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM pull_request WHERE repo_id = $1 AND status = 'open' "
                        + "ORDER BY number DESC LIMIT $2 OFFSET $3")
                .execute(Tuple.of(repoId, limit, offset))
                .map(rows -> {
                    List<PullRequestRow> list = new ArrayList<>();
                    rows.forEach(r -> list.add(row(r)));
                    return list;
                });
    }

    private static PullRequestRow row(Row r) {
        return new PullRequestRow(r.getLong("repo_id"), r.getInteger("number"), r.getString("title"), r.getString("status"),
                r.getString("source_branch"), r.getString("target_branch"), r.getString("head_sha"),
                r.getBoolean("from_fork"), r.getOffsetDateTime("updated_at").toInstant());
    }
}
