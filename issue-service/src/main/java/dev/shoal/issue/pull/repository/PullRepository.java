package dev.shoal.issue.pull.repository;

import dev.shoal.issue.pull.NewLineComment;
import dev.shoal.issue.pull.PullRow;
import dev.shoal.issue.support.Sql;
import dev.shoal.platform.db.WindowedPage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class PullRepository {

    public record Page(List<PullRow> rows, long total) {
    }

    public Uni<Page> page(SqlClient client, long repoId, String status, int limit, long offset) {
        return client.preparedQuery("SELECT *, count(*) OVER () AS total FROM pull_request "
                        + "WHERE repo_id = $1 AND status = $2 AND NOT deleted ORDER BY number DESC LIMIT $3 OFFSET $4")
                .execute(Sql.args(repoId, status, limit, offset))
                .chain(rows -> WindowedPage.of(rows, offset, PullRepository::map, () -> client
                        .preparedQuery("SELECT count(*) FROM pull_request WHERE repo_id = $1 AND status = $2 AND NOT deleted")
                        .execute(Sql.args(repoId, status)).map(c -> c.iterator().next().getLong(0))))
                .map(page -> new Page(page.items(), page.total()));
    }

    public Uni<Optional<PullRow>> find(SqlClient client, long repoId, long number, boolean lock) {
        return client.preparedQuery("SELECT * FROM pull_request WHERE repo_id = $1 AND number = $2 AND NOT deleted"
                        + (lock ? " FOR UPDATE" : ""))
                .execute(Sql.args(repoId, number)).map(rows -> Sql.first(rows, PullRepository::map));
    }

    public Uni<Void> insert(SqlClient tx, long repoId, long number, String title, String body, Long authorId,
                            String authorLogin, String source, String target, String headSha, String baseSha) {
        return tx.preparedQuery("INSERT INTO pull_request (repo_id, number, title, body, status, author_id, author_login, "
                        + "source_branch, target_branch, head_sha, base_sha) VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $10)")
                .execute(Sql.args(repoId, number, title, body, authorId, authorLogin, source, target, headSha, baseSha))
                .replaceWithVoid();
    }

    public Uni<Void> update(SqlClient tx, long id, String title, String body, String status, java.time.Instant closedAt) {
        return tx.preparedQuery("UPDATE pull_request SET title = $2, body = $3, status = $4, closed_at = $5, "
                        + "updated_at = now() WHERE id = $1")
                .execute(Sql.args(id, title, body, status, closedAt)).replaceWithVoid();
    }

    public Uni<Void> setShas(SqlClient tx, long id, String headSha, String baseSha) {
        return tx.preparedQuery("UPDATE pull_request SET head_sha = $2, base_sha = $3, updated_at = now() WHERE id = $1")
                .execute(Sql.args(id, headSha, baseSha)).replaceWithVoid();
    }

    public Uni<Void> markMerged(SqlClient tx, long id, String mergeCommit, Long mergedBy, String mergedByLogin) {
        return tx.preparedQuery("UPDATE pull_request SET status = 'merged', merge_commit = $2, merged_by = $3, "
                        + "merged_by_login = $4, merged_at = now(), updated_at = now() WHERE id = $1")
                .execute(Sql.args(id, mergeCommit, mergedBy, mergedByLogin)).replaceWithVoid();
    }

    public Uni<Void> touch(SqlClient tx, long id) {
        return tx.preparedQuery("UPDATE pull_request SET updated_at = now() WHERE id = $1").execute(Sql.args(id)).replaceWithVoid();
    }

    /** Moves the head of every open pull request from {@code branch}; returns the numbers that moved. */
    public Uni<List<Long>> moveHeads(SqlClient tx, long repoId, String branch, String sha) {
        return tx.preparedQuery("UPDATE pull_request SET head_sha = $3, updated_at = now() WHERE repo_id = $1 "
                        + "AND source_branch = $2 AND status = 'open' AND NOT deleted AND head_sha <> $3 RETURNING number")
                .execute(Sql.args(repoId, branch, sha)).map(rows -> Sql.list(rows, r -> r.getLong(0)));
    }

    public Uni<Void> moveBases(SqlClient tx, long repoId, String branch, String sha) {
        return tx.preparedQuery("UPDATE pull_request SET base_sha = $3 WHERE repo_id = $1 AND target_branch = $2 "
                        + "AND status = 'open' AND NOT deleted")
                .execute(Sql.args(repoId, branch, sha)).replaceWithVoid();
    }

    public Uni<List<Row>> comments(SqlClient client, long pullId) {
        return client.preparedQuery("SELECT * FROM pull_comment WHERE pull_id = $1 ORDER BY id").execute(Sql.args(pullId))
                .map(rows -> Sql.list(rows, r -> r));
    }

    public Uni<Row> insertComment(SqlClient tx, long pullId, String body, Long authorId, String authorLogin) {
        return tx.preparedQuery("INSERT INTO pull_comment (pull_id, body, author_id, author_login) VALUES ($1, $2, $3, $4) RETURNING *")
                .execute(Sql.args(pullId, body, authorId, authorLogin)).map(rows -> rows.iterator().next());
    }

    /**
     * Approvals that count, per pull request: each person's latest approve/request-changes decides,
     * and it counts only when it approves the current head and was given by an org member.
     */
    public Uni<Map<Long, Integer>> approvals(SqlClient client, Collection<Long> pullIds) {
        if (pullIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT pull_id, count(*) AS approvals FROM ("
                        + "SELECT DISTINCT ON (r.pull_id, r.author_id) r.pull_id, r.state, r.commit_sha, r.is_member, p.head_sha "
                        + "FROM pull_review r JOIN pull_request p ON p.id = r.pull_id "
                        + "WHERE r.pull_id = ANY($1) AND r.state <> 'comment' ORDER BY r.pull_id, r.author_id, r.id DESC) latest "
                        + "WHERE state = 'approve' AND is_member AND commit_sha = head_sha GROUP BY pull_id")
                .execute(Sql.args((Object) Sql.ids(pullIds)))
                .map(rows -> {
                    Map<Long, Integer> result = new HashMap<>();
                    rows.forEach(r -> result.put(r.getLong("pull_id"), r.getLong("approvals").intValue()));
                    return result;
                });
    }

    public Uni<Long> insertReview(SqlClient tx, long pullId, String state, String body, String commitSha, long authorId,
                                  String authorLogin, boolean member, List<NewLineComment> comments) {
        return tx.preparedQuery("INSERT INTO pull_review (pull_id, state, body, commit_sha, author_id, author_login, is_member) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .execute(Sql.args(pullId, state, body, commitSha, authorId, authorLogin, member))
                .map(rows -> rows.iterator().next().getLong(0))
                .call(id -> comments.isEmpty() ? Uni.createFrom().voidItem()
                        : tx.preparedQuery("INSERT INTO pull_review_comment (review_id, path, line, body, commit_sha) "
                                        + "SELECT $1, c.path, c.line, c.body, $5 FROM unnest($2::text[], $3::int[], $4::text[]) AS c(path, line, body)")
                                .execute(Sql.args(id, comments.stream().map(NewLineComment::path).toArray(String[]::new),
                                        comments.stream().map(NewLineComment::line).toArray(Integer[]::new),
                                        comments.stream().map(NewLineComment::body).toArray(String[]::new), commitSha)));
    }

    public Uni<List<Row>> reviews(SqlClient client, long pullId) {
        return client.preparedQuery("SELECT * FROM pull_review WHERE pull_id = $1 ORDER BY id").execute(Sql.args(pullId))
                .map(rows -> Sql.list(rows, r -> r));
    }

    public Uni<List<Row>> reviewComments(SqlClient client, long pullId) {
        return client.preparedQuery("SELECT c.* FROM pull_review_comment c JOIN pull_review r ON r.id = c.review_id "
                        + "WHERE r.pull_id = $1 ORDER BY c.id").execute(Sql.args(pullId))
                .map(rows -> Sql.list(rows, r -> r));
    }

    public static PullRow map(Row row) {
        return new PullRow(row.getLong("id"), row.getLong("repo_id"), row.getLong("number"), row.getString("title"),
                row.getString("body"), row.getString("status"), row.getLong("author_id"), row.getString("author_login"),
                row.getString("source_branch"), row.getString("target_branch"), row.getString("head_sha"),
                row.getString("base_sha"), row.getString("merge_commit"), row.getLong("merged_by"),
                row.getString("merged_by_login"), Sql.instant(row, "merged_at"), Sql.instant(row, "closed_at"),
                Sql.instant(row, "created_at"), Sql.instant(row, "updated_at"));
    }
}
