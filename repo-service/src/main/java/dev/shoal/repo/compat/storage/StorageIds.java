package dev.shoal.repo.compat.storage;

/**
 * What a Code Storage repository id may be: every id the API creates must be reachable over git as
 * {@code /storage/<id>.git} (and {@code <id>+ephemeral.git}) through the SDK's {@code getRemoteURL()},
 * which pastes the id into a URL as it is. So an id is 1 to {@value #MAX_LENGTH} characters of
 * letters, digits, {@code /} between non-empty segments, and {@code - . _ ~ + @ : = , ! $ & ' ( ) *}
 * (the characters a URL path carries unchanged, {@code %} and {@code ;} excepted); no segment is
 * {@code .} or {@code ..} (URLs resolve them away), and it does not end with {@code .git},
 * {@code +ephemeral} or {@code +import} (the suffixes of the git remotes).
 */
public final class StorageIds {

    public static final int MAX_LENGTH = 512;
    private static final String PUNCTUATION = "-._~+@:=,!$&'()*";

    private StorageIds() {
    }

    /** Null when {@code id} can be created and served over git, else the reason, for a 400. */
    public static String problem(String id) {
        if (id.isEmpty()) {
            return "the repository id is empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "the repository id has " + id.length() + " characters; at most " + MAX_LENGTH + " are allowed";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "the repository id may not contain NUL or other control characters (at position " + i + ")";
            }
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || PUNCTUATION.indexOf(c) >= 0)) {
                return "the repository id may not contain '" + id.charAt(i) + "' (at position " + i + "): ids are letters, digits, "
                        + "'/' and " + PUNCTUATION.chars().mapToObj(p -> "'" + (char) p + "'").collect(java.util.stream.Collectors.joining(" "))
                        + ", which git URLs carry unchanged";
            }
        }
        if (id.startsWith("/") || id.endsWith("/")) {
            return "the repository id may not start or end with '/'";
        }
        for (String segment : id.split("/", -1)) {
            if (segment.isEmpty()) {
                return "the repository id may not contain '//' (an empty path segment)";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "the repository id may not contain '.' or '..' segments: a git URL resolves them away";
            }
        }
        String lower = id.toLowerCase(java.util.Locale.ROOT);
        for (String suffix : new String[] {".git", "+ephemeral", "+import"}) {
            if (lower.endsWith(suffix)) {
                return "the repository id may not end with '" + suffix + "': the git remote /storage/<id>.git "
                        + (suffix.equals(".git") ? "adds '.git' itself" : "would name another remote (<id>" + suffix + ".git)");
            }
        }
        return null;
    }
}
