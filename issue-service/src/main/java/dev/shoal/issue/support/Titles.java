package dev.shoal.issue.support;

import dev.shoal.platform.error.ValidationException;

/** The title of an issue or a pull request: required, trimmed, 1-255 characters. */
public final class Titles {

    private Titles() {
    }

    public static String check(String raw) {
        if (raw == null) {
            throw new ValidationException("title is required");
        }
        String title = raw.strip();
        if (title.isEmpty() || title.length() > 255) {
            throw new ValidationException("title must be 1-255 characters (not only spaces)");
        }
        return title;
    }
}
