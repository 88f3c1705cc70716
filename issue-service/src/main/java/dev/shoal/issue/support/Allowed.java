package dev.shoal.issue.support;

import dev.shoal.platform.error.ValidationException;
import java.util.List;

/** Enumerated text values (states, filters, methods) with an error that lists what is allowed. */
public final class Allowed {

    private Allowed() {
    }

    public static String oneOf(String field, String raw, String fallback, List<String> allowed) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        if (!allowed.contains(raw)) {
            throw new ValidationException(field + " must be one of " + String.join(", ", allowed) + ", got '"
                    + (raw.length() > 30 ? raw.substring(0, 30) + "…" : raw) + "'");
        }
        return raw;
    }
}
