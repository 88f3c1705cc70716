package dev.shoal.gateway.user.service;

import dev.shoal.platform.error.ValidationException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules for user and organization names. */
public final class Names {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Set<String> RESERVED = Set.of("api", "internal", "q", "storage", "admin", "user", "orgs",
            "repos", "login", "logout", "assets", "static", "-");

    private Names() {
    }

    public static String require(String field, String name) {
        if (name == null || !NAME.matcher(name).matches() || name.endsWith(".git") || name.contains("..")) {
            throw new ValidationException(field + " must be 1-100 characters of a-z, A-Z, 0-9, '.', '_' or '-', "
                    + "starting with a letter or digit and not ending in .git");
        }
        return name;
    }

    /**
     * Organization names are the first segment of git URLs, so a few words are kept for Shoal's own
     * paths; and never all digits, which Woodpecker's {@code /api/repos/{repo_id}/…} paths take for a
     * repository id (so Drone's {@code /api/repos/{org}/{repo}} reaches every repository, see routes.table).
     */
    public static String requireOrg(String field, String name) {
        require(field, name);
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new ValidationException(field + " '" + name + "' is reserved; choose another");
        }
        if (name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ValidationException(field + " '" + name + "' is all digits, which API paths read as an id; "
                    + "add a letter, '.', '_' or '-'");
        }
        return name;
    }
}
