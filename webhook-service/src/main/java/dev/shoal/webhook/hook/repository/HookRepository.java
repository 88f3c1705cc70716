package dev.shoal.webhook.hook.repository;

import dev.shoal.webhook.hook.Hook;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class HookRepository {

    private static final String COLUMNS = "id, repo_id, url, events, content_type, is_active, parallel, disabled_reason, "
            + "created_at, updated_at";

    /** A hook with its sealed secret, for building deliveries; never leaves the service. */
    public record HookTarget(Hook hook, String sealedSecret) {
    }

    public Uni<Hook> insert(SqlClient tx, long repoId, String url, String sealedSecret, List<String> events,
                            String contentType, boolean active, boolean parallel, Long createdBy) {
        return tx.preparedQuery("INSERT INTO hook (repo_id, url, secret, events, content_type, is_active, parallel, created_by) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] {repoId, url, sealedSecret, events.toArray(String[]::new), contentType,
                        active, parallel, createdBy}))
                .map(rows -> map(rows.iterator().next()));
    }

    public Uni<List<Hook>> list(SqlClient client, long repoId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM hook WHERE repo_id = $1 ORDER BY id")
                .execute(Tuple.of(repoId)).map(HookRepository::all);
    }

    public Uni<Optional<Hook>> find(SqlClient client, long repoId, long id, boolean forUpdate) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM hook WHERE repo_id = $1 AND id = $2"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .execute(Tuple.of(repoId, id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    /**
     * Writes the hook's new state. Reactivating clears the failure streak and the disabled reason;
     * a null {@code sealedSecret} keeps the secret.
     */
    public Uni<Hook> update(SqlClient tx, Hook hook, String sealedSecret) {
        return tx.preparedQuery("UPDATE hook SET url = $2, events = $3, content_type = $4, is_active = $5, parallel = $6, "
                        + "secret = COALESCE($7, secret), "
                        + "disabled_reason = CASE WHEN $5 THEN NULL ELSE disabled_reason END, "
                        + "consecutive_failures = CASE WHEN $5 AND NOT is_active THEN 0 ELSE consecutive_failures END, "
                        + "updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] {hook.id(), hook.url(), hook.events().toArray(String[]::new),
                        hook.contentType(), hook.isActive(), hook.parallel(), sealedSecret}))
                .map(rows -> map(rows.iterator().next()));
    }

    public Uni<Boolean> delete(SqlClient tx, long repoId, long id) {
        return tx.preparedQuery("DELETE FROM hook WHERE repo_id = $1 AND id = $2").execute(Tuple.of(repoId, id))
                .map(result -> result.rowCount() > 0);
    }

    public Uni<Integer> deleteForRepo(SqlClient tx, long repoId) {
        return tx.preparedQuery("DELETE FROM hook WHERE repo_id = $1").execute(Tuple.of(repoId)).map(RowSet::rowCount);
    }

    /** Active hooks of a repository subscribed to {@code event}, with their sealed secrets. */
    public Uni<List<HookTarget>> activeSubscribers(SqlClient tx, long repoId, String event) {
        return tx.preparedQuery("SELECT " + COLUMNS + ", secret FROM hook WHERE repo_id = $1 AND is_active AND $2 = ANY(events) "
                        + "ORDER BY id")
                .execute(Tuple.of(repoId, event))
                .map(rows -> {
                    List<HookTarget> targets = new ArrayList<>();
                    rows.forEach(row -> targets.add(new HookTarget(map(row), row.getString("secret"))));
                    return targets;
                });
    }

    /** A delivery ended: a success resets the failure streak; a failure extends it. Returns the new streak. */
    public Uni<Integer> recordOutcome(SqlClient tx, long hookId, boolean success) {
        return tx.preparedQuery("UPDATE hook SET consecutive_failures = CASE WHEN $2 THEN 0 ELSE consecutive_failures + 1 END "
                        + "WHERE id = $1 RETURNING consecutive_failures")
                .execute(Tuple.of(hookId, success))
                .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0));
    }

    /** Deactivates a hook that keeps failing, once, with a reason the API shows. */
    public Uni<Boolean> disable(SqlClient tx, long hookId, String reason) {
        return tx.preparedQuery("UPDATE hook SET is_active = FALSE, disabled_reason = $2, updated_at = now() "
                        + "WHERE id = $1 AND is_active")
                .execute(Tuple.of(hookId, reason))
                .map(result -> result.rowCount() > 0);
    }

    private static List<Hook> all(RowSet<Row> rows) {
        List<Hook> hooks = new ArrayList<>();
        rows.forEach(row -> hooks.add(map(row)));
        return hooks;
    }

    static Hook map(Row row) {
        return new Hook(row.getLong("id"), row.getLong("repo_id"), row.getString("url"),
                Arrays.asList(row.getArrayOfStrings("events")), row.getString("content_type"), row.getBoolean("is_active"),
                row.getBoolean("parallel"), row.getString("disabled_reason"),
                row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
    }
}
