package dev.shoal.gateway.directory;

/** What the gateway needs to know of a repository to authorize a request for it. */
public record RepoEntry(long id, long orgId, String org, String name, boolean isPrivate) {
}
