package dev.shoal.issue.tracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A repository's issue tracker settings, the ones Pagure clients rely on: priorities (weight to
 * title, as Pagure's {@code priorities} map), the statuses an issue may be closed with, and the
 * custom field keys issues may carry.
 */
public record TrackerSettings(Map<String, String> priorities,
                              @JsonProperty("close_statuses") List<String> closeStatuses,
                              @JsonProperty("custom_fields") List<CustomKey> customFields) {

    /** Pagure's default close statuses for a new project. */
    public static final List<String> DEFAULT_CLOSE_STATUSES = List.of("Invalid", "Insufficient data", "Fixed", "Duplicate");

    public static final List<String> KEY_TYPES = List.of("text", "boolean", "link", "list", "date");

    public static TrackerSettings defaults() {
        return new TrackerSettings(Map.of(), DEFAULT_CLOSE_STATUSES, List.of());
    }

    public record CustomKey(String name, String type, List<String> options) {
    }

    /** The weight of a priority given by weight or by title (case-insensitive); null when unknown. */
    public Integer priorityWeight(String raw) {
        if (raw == null) {
            return null;
        }
        for (Map.Entry<String, String> entry : priorities.entrySet()) {
            if (entry.getKey().equals(raw.strip()) || entry.getValue().equalsIgnoreCase(raw.strip())) {
                return Integer.valueOf(entry.getKey());
            }
        }
        return null;
    }

    /** The configured spelling of a close status, matched case-insensitively; null when unknown. */
    public String closeStatus(String raw) {
        return closeStatuses.stream().filter(s -> s.equalsIgnoreCase(raw.strip())).findFirst().orElse(null);
    }

    public CustomKey key(String name) {
        return customFields.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
    }
}
