package dev.shoal.repo.compat.pagure.rest;

import dev.shoal.platform.compat.pagure.PagureException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pagure's project options: its keys and defaults. Stored per project (only what differs from the
 * default); an update names every key it wants non-default, since Pagure resets the rest.
 */
final class PagureOptions {

    static final Map<String, Object> DEFAULTS;

    static {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("Enforce_signed-off_commits_in_pull-request", false);
        d.put("Minimum_score_to_merge_pull-request", -1);
        d.put("Only_assignee_can_merge_pull-request", false);
        d.put("Web-hooks", null);
        d.put("always_merge", false);
        d.put("disable_non_fast-forward_merges", false);
        d.put("fedmsg_notifications", true);
        d.put("issue_tracker", true);
        d.put("issue_tracker_read_only", false);
        d.put("issues_default_to_private", false);
        d.put("notify_on_commit_flag", false);
        d.put("notify_on_pull-request_flag", false);
        d.put("open_metadata_access_to_all", false);
        d.put("project_documentation", false);
        d.put("pull_request_access_only", false);
        d.put("pull_requests", true);
        d.put("stomp_notifications", true);
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

    private PagureOptions() {
    }

    static Map<String, Object> effective(JsonObject stored) {
        Map<String, Object> out = new LinkedHashMap<>(DEFAULTS);
        stored.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The stored form of an update: each named key checked against its type, the rest back to default. */
    static JsonObject parse(Map<String, List<String>> fields) {
        JsonObject out = new JsonObject();
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            String key = field.getKey();
            if (!DEFAULTS.containsKey(key)) {
                throw PagureException.invalid("'" + key + "' is not a project option; the options are " + String.join(", ", DEFAULTS.keySet()));
            }
            String raw = field.getValue().isEmpty() ? "" : field.getValue().get(0);
            Object def = DEFAULTS.get(key);
            Object value;
            if (def instanceof Boolean) {
                value = PagureProjectResource.bool(key, raw);
            } else if (def instanceof Integer) {
                try {
                    value = Integer.parseInt(raw.strip());
                } catch (NumberFormatException e) {
                    throw PagureException.invalid(key + ": '" + raw + "' is not a whole number");
                }
            } else {
                value = raw.isBlank() ? null : raw;
            }
            if (!java.util.Objects.equals(value, def)) {
                out.put(key, value);
            }
        }
        return out;
    }
}
