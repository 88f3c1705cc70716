package dev.shoal.issue.tracker.repository;

import dev.shoal.issue.support.Sql;
import dev.shoal.issue.tracker.TrackerSettings;
import dev.shoal.issue.tracker.TrackerSettings.CustomKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@ApplicationScoped
public class TrackerRepository {

    public record KeyRow(long id, String name, String type, List<String> options) {
    }

    /** The settings of a repository; defaults when it never set any. */
    public Uni<TrackerSettings> get(SqlClient client, long repoId) {
        return client.preparedQuery("SELECT priorities, close_statuses FROM tracker_settings WHERE repo_id = $1")
                .execute(Sql.args(repoId))
                .chain(rows -> keys(client, repoId).map(keys -> {
                    List<CustomKey> custom = keys.stream().map(k -> new CustomKey(k.name(), k.type(), k.options())).toList();
                    var found = Sql.first(rows, row -> row);
                    if (found.isEmpty()) {
                        return new TrackerSettings(Map.of(), TrackerSettings.DEFAULT_CLOSE_STATUSES, custom);
                    }
                    Map<String, String> priorities = new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
                    JsonObject json = found.get().getJsonObject("priorities");
                    json.forEach(e -> priorities.put(e.getKey(), String.valueOf(e.getValue())));
                    return new TrackerSettings(new LinkedHashMap<>(priorities),
                            Arrays.asList(found.get().getArrayOfStrings("close_statuses")), custom);
                }));
    }

    public Uni<List<KeyRow>> keys(SqlClient client, long repoId) {
        return client.preparedQuery("SELECT * FROM custom_field_key WHERE repo_id = $1 ORDER BY position, id")
                .execute(Sql.args(repoId))
                .map(rows -> Sql.list(rows, r -> new KeyRow(r.getLong("id"), r.getString("name"), r.getString("key_type"),
                        Arrays.asList(r.getArrayOfStrings("options")))));
    }

    /** Replaces the settings; custom keys no longer listed are dropped with their values. */
    public Uni<Void> put(SqlClient tx, long repoId, TrackerSettings settings) {
        String[] names = settings.customFields().stream().map(CustomKey::name).toArray(String[]::new);
        Uni<Void> chain = tx.preparedQuery("INSERT INTO tracker_settings (repo_id, priorities, close_statuses) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (repo_id) DO UPDATE SET priorities = EXCLUDED.priorities, close_statuses = EXCLUDED.close_statuses")
                .execute(Sql.args(repoId, new JsonObject(new LinkedHashMap<>(settings.priorities())),
                        settings.closeStatuses().toArray(String[]::new)))
                .chain(() -> tx.preparedQuery("DELETE FROM custom_field_key WHERE repo_id = $1 AND NOT (name = ANY($2))")
                        .execute(Sql.args(repoId, names)))
                .replaceWithVoid();
        int position = 0;
        for (CustomKey key : settings.customFields()) {
            int at = position++;
            chain = chain.chain(() -> tx.preparedQuery("INSERT INTO custom_field_key (repo_id, name, key_type, options, position) "
                            + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (repo_id, name) DO UPDATE SET key_type = EXCLUDED.key_type, "
                            + "options = EXCLUDED.options, position = EXCLUDED.position")
                    .execute(Sql.args(repoId, key.name(), key.type(), key.options().toArray(String[]::new), at))
                    .replaceWithVoid());
        }
        return chain;
    }

}
