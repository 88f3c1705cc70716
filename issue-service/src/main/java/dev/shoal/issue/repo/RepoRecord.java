package dev.shoal.issue.repo;

import dev.shoal.platform.event.EventEnvelope;

/**
 * What this service knows of a repository; {@code known} is false for one never written to (it has
 * no issues). {@code listVersion} changes with every change its issue list shows (V4__issue_list_version.sql);
 * 0 for an unknown repository, a value the database never hands out.
 */
public record RepoRecord(long id, String org, String name, boolean isPrivate, String defaultBranch,
                         int requiredApprovals, long listVersion, boolean known) {

    public EventEnvelope.RepoRef ref() {
        return new EventEnvelope.RepoRef(id, org, name, isPrivate);
    }

    public String fullName() {
        return org + "/" + name;
    }
}
