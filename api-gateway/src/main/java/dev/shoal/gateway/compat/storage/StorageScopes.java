package dev.shoal.gateway.compat.storage;

/**
 * The scope each Code Storage route needs, as the Code Storage API documents it. The route table
 * has one scope column for Shoal's own read/write/admin scopes, so storage routes carry "-" there
 * and their scope is decided here.
 */
public final class StorageScopes {

    public static final String GIT_READ = "git:read";
    public static final String GIT_WRITE = "git:write";
    public static final String REPO_WRITE = "repo:write";
    public static final String ORG_READ = "org:read";

    private StorageScopes() {
    }

    /** The one organization-wide route (the SDK's listRepos, a JWT whose repo claim is {@code org}). */
    public static boolean isOrgWide(String method, String pattern) {
        return method.equals("GET") && pattern.equals("/storage/api/v1/repos");
    }

    /**
     * Routes that accept an organization-wide JWT: listRepos, and the SDK's updateGitCredential and
     * deleteGitCredential (they name a credential by id, not a repository; repo-service scopes it to the issuer).
     */
    public static boolean acceptsOrgWide(String method, String pattern) {
        return isOrgWide(method, pattern)
                || ((method.equals("PUT") || method.equals("DELETE")) && pattern.equals(GIT_CREDENTIALS));
    }

    private static final String GIT_CREDENTIALS = "/storage/api/v1/repos/git-credentials";
    private static final String PULL_UPSTREAM = "/storage/api/v1/repos/pull-upstream";

    /**
     * The status for a token lacking the route's scope, as the Code Storage API documents it route by
     * route: 403 for pull-upstream ("403 Forbidden - Invalid JWT or missing git:write scope"), 401 for
     * every other route.
     */
    public static int missingScopeStatus(String method, String pattern) {
        return method.equals("POST") && pattern.equals(PULL_UPSTREAM) ? 403 : 401;
    }

    /** The scope the route {@code method pattern} (as written in routes.table) needs. */
    public static String required(String method, String pattern) {
        if (pattern.contains(".git/")) {
            return pattern.contains("git-receive-pack") ? GIT_WRITE : GIT_READ;
        }
        String path = pattern;
        if (isOrgWide(method, pattern)) {
            return ORG_READ;
        }
        if ((method.equals("POST") && path.equals("/storage/api/v1/repos"))
                || (method.equals("DELETE") && path.equals("/storage/api/v1/repos/delete"))) {
            return REPO_WRITE;
        }
        if (path.equals(GIT_CREDENTIALS)) {
            return REPO_WRITE; // createGitCredential, updateGitCredential, deleteGitCredential
        }
        if (method.equals("POST") && path.equals("/storage/api/v1/repos/grep")) {
            return GIT_READ; // a search: POST only for its structured body
        }
        if (method.equals("POST") && path.equals("/storage/api/v1/repos/archive")) {
            return GIT_READ; // a download: POST only for its optional JSON options
        }
        if (method.equals("POST") || method.equals("DELETE")) {
            return GIT_WRITE;
        }
        return GIT_READ;
    }

}
