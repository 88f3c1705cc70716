package dev.shoal.repo.content;

import dev.shoal.platform.error.ValidationException;

/**
 * File paths as clients send them. They are resolved in git's object model only, never on the
 * file system, and anything that looks like a traversal attempt is refused outright.
 */
public final class GitPaths {

    static final String RULE = "path must be relative to the repository root, with '/' between names, and must not "
            + "contain '..' or '.' segments, empty segments, backslashes or NUL characters";

    private GitPaths() {
    }

    /** The path without a trailing '/', "" for the root. */
    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        if (raw.startsWith("/") || raw.indexOf('\\') >= 0 || raw.indexOf('\0') >= 0) {
            throw new ValidationException(RULE);
        }
        String path = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new ValidationException(RULE);
            }
        }
        return path;
    }

    /** For endpoints where the path names a file and cannot be empty. */
    public static String requireFile(String raw) {
        String path = normalize(raw);
        if (path.isEmpty()) {
            throw new ValidationException("path is required: name a file, e.g. README.md");
        }
        return path;
    }
}
