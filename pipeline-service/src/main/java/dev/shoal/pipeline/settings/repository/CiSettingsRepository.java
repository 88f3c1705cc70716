package dev.shoal.pipeline.settings.repository;

import dev.shoal.pipeline.settings.CiSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class CiSettingsRepository {

    private static final String COLUMNS = "repo_id, active, timeout_minutes, trusted_network, trusted_security, "
            + "trusted_volumes, allow_pr, allow_push, allow_tags, allow_deploy, config_file, visibility, "
            + "require_approval, cancel_previous_pipeline_events, netrc_trusted";

    public Uni<Optional<CiSettings>> find(SqlClient client, long repoId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM repo_ci_settings WHERE repo_id = $1")
                .execute(Tuple.of(repoId))
                .map(rows -> rows.size() == 0 ? Optional.<CiSettings>empty() : Optional.of(map(rows.iterator().next())));
    }

    /** Locks the repository's row (creating it with the defaults first) so concurrent patches apply one after the other. */
    public Uni<CiSettings> lock(SqlClient tx, long repoId) {
        return tx.preparedQuery("INSERT INTO repo_ci_settings (repo_id) VALUES ($1) ON CONFLICT (repo_id) DO NOTHING")
                .execute(Tuple.of(repoId))
                .chain(() -> tx.preparedQuery("SELECT " + COLUMNS + " FROM repo_ci_settings WHERE repo_id = $1 FOR UPDATE")
                        .execute(Tuple.of(repoId)))
                .map(rows -> map(rows.iterator().next()));
    }

    public Uni<Void> save(SqlClient tx, CiSettings s) {
        return tx.preparedQuery("UPDATE repo_ci_settings SET active = $2, timeout_minutes = $3, trusted_network = $4, "
                        + "trusted_security = $5, trusted_volumes = $6, allow_pr = $7, allow_push = $8, allow_tags = $9, "
                        + "allow_deploy = $10, config_file = $11, visibility = $12, require_approval = $13, "
                        + "cancel_previous_pipeline_events = $14, netrc_trusted = $15, updated_at = now() WHERE repo_id = $1")
                .execute(Tuple.from(new Object[] {s.repoId(), s.active(), s.timeoutMinutes(), s.trusted().network(),
                        s.trusted().security(), s.trusted().volumes(), s.allowPr(), s.allowPush(), s.allowTags(),
                        s.allowDeploy(), s.configFile(), s.visibility(), s.requireApproval(),
                        s.cancelPreviousPipelineEvents().toArray(String[]::new), s.netrcTrusted().toArray(String[]::new)}))
                .replaceWithVoid();
    }

    /** Records the user who took the repository's CI over (Woodpecker's chown). */
    public Uni<Void> setOwner(SqlClient tx, long repoId, Long userId, String login) {
        return tx.preparedQuery("INSERT INTO repo_ci_settings (repo_id, owner_id, owner_login) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (repo_id) DO UPDATE SET owner_id = EXCLUDED.owner_id, owner_login = EXCLUDED.owner_login, "
                        + "updated_at = now()")
                .execute(Tuple.of(repoId, userId, login)).replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient tx, long repoId) {
        return tx.preparedQuery("DELETE FROM repo_ci_settings WHERE repo_id = $1").execute(Tuple.of(repoId)).replaceWithVoid();
    }

    private static CiSettings map(Row row) {
        return new CiSettings(row.getLong("repo_id"), row.getBoolean("active"), row.getInteger("timeout_minutes"),
                new CiSettings.Trusted(row.getBoolean("trusted_network"), row.getBoolean("trusted_security"),
                        row.getBoolean("trusted_volumes")),
                row.getBoolean("allow_pr"), row.getBoolean("allow_push"), row.getBoolean("allow_tags"),
                row.getBoolean("allow_deploy"), row.getString("config_file"), row.getString("visibility"),
                row.getString("require_approval"), strings(row, "cancel_previous_pipeline_events"),
                strings(row, "netrc_trusted"));
    }

    private static List<String> strings(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? List.of() : Arrays.asList(values);
    }
}
