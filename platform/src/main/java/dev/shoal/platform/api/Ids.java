package dev.shoal.platform.api;

import dev.shoal.platform.error.NotFoundException;

/** Numeric ids from paths: anything that is not a positive number names nothing, so it is 404. */
public final class Ids {

    private Ids() {
    }

    public static long parse(String what, String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through to not found
        }
        throw new NotFoundException(what + " '" + abbreviate(raw) + "' not found");
    }

    private static String abbreviate(String raw) {
        String clean = raw.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
    }
}
