package dev.shoal.webhook.repo;

/** What this service knows of a repository, from {@code shoal.repo} events. */
public record RepoInfo(long id, String org, String name, Boolean isPrivate, String description, String defaultBranch) {
}
