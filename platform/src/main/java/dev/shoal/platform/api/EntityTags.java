package dev.shoal.platform.api;

/**
 * HTTP entity tags: whether a client's {@code If-None-Match} (or {@code If-Match}) names the answer it would get
 * (RFC 9110 §13.1). Used by issue-service's list and repo-service's Code Storage file answers.
 */
public final class EntityTags {

    private EntityTags() {
    }

    /**
     * The weak comparison: {@code W/} does not count, {@code *} matches any answer, and the header may
     * list several tags. Tags are compared whole, as the quoted strings they are.
     */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || etag == null) {
            return false;
        }
        String wanted = opaque(etag);
        for (String tag : ifNoneMatch.split(",")) {
            String candidate = tag.strip();
            if (candidate.equals("*") || opaque(candidate).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
