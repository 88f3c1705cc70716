package dev.shoal.issue.support;

import dev.shoal.platform.error.ValidationException;

/** Path numbers arrive as text so that "abc" is a clear 400 rather than a framework 404. */
public final class Numbers {

    private Numbers() {
    }

    public static long parse(String what, String raw) {
        try {
            long value = Long.parseLong(raw);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        String shown = raw == null ? "" : raw.length() > 20 ? raw.substring(0, 20) + "…" : raw;
        throw new ValidationException(what + " must be a positive whole number, got '" + shown + "'");
    }
}
