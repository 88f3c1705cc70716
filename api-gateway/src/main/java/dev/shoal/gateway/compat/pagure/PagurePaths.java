package dev.shoal.gateway.compat.pagure;

import java.util.Arrays;
import java.util.Set;

/**
 * Pagure names one project in three path forms; Shoal's services (and the route table) know one:
 * {@code /api/0/{org}/{repo}/…}. This rewrites the other two before the table is matched, so every
 * Pagure route, whichever service serves it, answers all three forms without being listed three times.
 *
 * <ul>
 *   <li>{@code /api/0/<repo>[/<action>…]} → {@code /api/0/<default-namespace>/<repo>[/<action>…]}</li>
 *   <li>{@code /api/0/fork/<user>/<repo>[/<action>…]} → {@code /api/0/<default-namespace>/<repo>--fork--<user>[/…]}</li>
 *   <li>{@code /api/0/fork/<user>/<ns>/<repo>[/<action>…]} → {@code /api/0/<ns>/<repo>--fork--<user>[/…]}</li>
 * </ul>
 *
 * The no-namespace form is recognised, as in Pagure's own URL map, by what follows the first
 * segment: nothing, or one of Pagure's action words ({@link #ACTIONS}). Pagure prefers the action
 * reading too, so {@code /api/0/foo/tags} is the issue tags of project {@code foo}, not project
 * {@code tags} in namespace {@code foo}. Paths that start with Pagure's instance-level words
 * ({@link #INSTANCE}) are never rewritten.
 */
public final class PagurePaths {

    public static final String PREFIX = "/api/0/";
    /** Infix of a fork's Shoal repository name: the fork of {@code ns/proj} by alice is {@code ns/proj--fork--alice}. */
    public static final String FORK_INFIX = "--fork--";

    /** First segments that name instance-level endpoints, never a project. */
    static final Set<String> INSTANCE = Set.of("-", "projects", "new", "users", "user", "groups", "group",
            "pull-requests", "task", "fork");

    /** What may follow {@code <repo>} in Pagure's project paths (seed 003 and Pagure's API blueprint). */
    static final Set<String> ACTIONS = Set.of("git", "c", "watchers", "options", "blockuser", "new_issue", "issues",
            "issue", "pull-requests", "pull-request", "tags", "hascommit", "connector", "token", "delete", "boards");

    private PagurePaths() {
    }

    /**
     * The canonical path for a raw (still percent-encoded) request path; the path itself when it
     * is not a Pagure project path or is already canonical.
     */
    public static String canonical(String path, String defaultNamespace) {
        if (!path.startsWith(PREFIX)) {
            return path;
        }
        String[] s = path.substring(PREFIX.length()).split("/", -1);
        if (s.length == 0 || s[0].isEmpty()) {
            return path;
        }
        if (s[0].equals("fork")) {
            // "POST /api/0/fork" (create a fork) and too-short paths stay as they are.
            if (s.length < 3 || s[1].isEmpty() || s[2].isEmpty()) {
                return path;
            }
            String user = s[1];
            String[] rest = Arrays.copyOfRange(s, 2, s.length);
            boolean noNamespace = rest.length == 1 || ACTIONS.contains(rest[1]);
            String ns = noNamespace ? defaultNamespace : rest[0];
            String repo = noNamespace ? rest[0] : rest[1];
            if (repo.isEmpty()) {
                return path;
            }
            return join(ns, repo + FORK_INFIX + user, Arrays.copyOfRange(rest, noNamespace ? 1 : 2, rest.length));
        }
        if (INSTANCE.contains(s[0])) {
            return path;
        }
        if (s.length == 1 || ACTIONS.contains(s[1])) {
            return join(defaultNamespace, s[0], Arrays.copyOfRange(s, 1, s.length));
        }
        return path;
    }

    private static String join(String ns, String repo, String[] rest) {
        StringBuilder out = new StringBuilder(PREFIX).append(ns).append('/').append(repo);
        for (String segment : rest) {
            out.append('/').append(segment);
        }
        return out.toString();
    }
}
