package dev.shoal.platform.api;

import dev.shoal.platform.error.ValidationException;

/**
 * A validated {@code page}/{@code per_page} pair. Out-of-range values are refused rather than
 * clamped, so a client never silently receives a different page than it asked for.
 */
public record PageRequest(int page, int perPage) {

    public static final int DEFAULT_PER_PAGE = 30;
    public static final int MAX_PER_PAGE = 100;

    /** Parses the raw query values with the Isurus defaults (30 per page, at most 100). */
    public static PageRequest of(String page, String perPage) {
        return of(page, perPage, DEFAULT_PER_PAGE, MAX_PER_PAGE);
    }

    /** Parses the raw query values with endpoint-specific defaults (pipelines use 20 and 50). */
    public static PageRequest of(String page, String perPage, int defaultPerPage, int maxPerPage) {
        int p = parse("page", page, 1, 1, Integer.MAX_VALUE / MAX_PER_PAGE);
        int pp = parse("per_page", perPage, defaultPerPage, 1, maxPerPage);
        return new PageRequest(p, pp);
    }

    private static int parse(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new ValidationException(name + " must be a whole number from " + min + " to " + max
                    + ", got '" + abbreviate(raw) + "'");
        }
        if (value < min || value > max) {
            throw new ValidationException(name + " must be from " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    private static String abbreviate(String raw) {
        return raw.length() > 20 ? raw.substring(0, 20) + "…" : raw;
    }

    public long offset() {
        return (long) (page - 1) * perPage;
    }
}
