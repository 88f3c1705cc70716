package dev.shoal.issue.repo.repository;

import dev.shoal.issue.client.RepoGateway.RepoInfo;
import dev.shoal.issue.repo.RepoRecord;
import dev.shoal.issue.support.Sql;
import dev.shoal.platform.error.NotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class RepoRecords {

    /** The repository row; a deleted repository is reported as present with {@code deleted} true. */
    public Uni<Optional<Row>> find(SqlClient client, long id) {
        return client.preparedQuery("SELECT * FROM repository WHERE id = $1").execute(Sql.args(id))
                .map(rows -> Sql.first(rows, row -> row));
    }

    public Uni<Void> insertIfMissing(SqlClient client, RepoInfo info) {
        return client.preparedQuery("INSERT INTO repository (id, org, name, is_private, default_branch) "
                        + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING")
                .execute(Sql.args(info.id(), info.org(), info.name(), info.isPrivate(),
                        info.defaultBranch() == null ? "main" : info.defaultBranch()))
                .replaceWithVoid();
    }

    public Uni<Void> upsert(SqlClient client, RepoInfo info) {
        return client.preparedQuery("INSERT INTO repository (id, org, name, is_private, default_branch) "
                        + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET org = EXCLUDED.org, "
                        + "name = EXCLUDED.name, is_private = EXCLUDED.is_private, default_branch = EXCLUDED.default_branch")
                .execute(Sql.args(info.id(), info.org(), info.name(), info.isPrivate(),
                        info.defaultBranch() == null ? "main" : info.defaultBranch()))
                .replaceWithVoid();
    }

    /**
     * Takes the next issue/pull request number. The row lock taken by the UPDATE is held until the
     * creating transaction ends, so concurrent creates queue here and numbers stay dense and unique.
     */
    public Uni<Long> nextNumber(SqlClient tx, long repoId) {
        return tx.preparedQuery("UPDATE repository SET last_number = last_number + 1 "
                        + "WHERE id = $1 AND deleted_at IS NULL RETURNING last_number")
                .execute(Sql.args(repoId))
                .map(rows -> Sql.first(rows, row -> row.getLong(0))
                        .orElseThrow(() -> new NotFoundException("repository not found")));
    }

    /**
     * Hides the repository's issues and pull requests, then marks the row. Issues first: an issue
     * writer holds its issue's row and then, as it commits, takes the repository's (the list version's
     * trigger), so taking the repository's row first here could deadlock with it.
     */
    public Uni<Void> markDeleted(SqlClient tx, long repoId, String org, String name) {
        return tx.preparedQuery("UPDATE issue SET deleted = true WHERE repo_id = $1").execute(Sql.args(repoId))
                .chain(() -> tx.preparedQuery("UPDATE pull_request SET deleted = true WHERE repo_id = $1").execute(Sql.args(repoId)))
                .chain(() -> tx.preparedQuery("INSERT INTO repository (id, org, name, deleted_at) VALUES ($1, $2, $3, now()) "
                                + "ON CONFLICT (id) DO UPDATE SET deleted_at = now()")
                        .execute(Sql.args(repoId, org, name)))
                .replaceWithVoid();
    }

    public Uni<Void> setRequiredApprovals(SqlClient tx, long repoId, int required) {
        return tx.preparedQuery("UPDATE repository SET required_approvals = $2 WHERE id = $1")
                .execute(Sql.args(repoId, required)).replaceWithVoid();
    }

    public static RepoRecord map(Row row) {
        return new RepoRecord(row.getLong("id"), row.getString("org"), row.getString("name"),
                row.getBoolean("is_private"), row.getString("default_branch"), row.getInteger("required_approvals"),
                row.getLong("list_version"), true);
    }
}
