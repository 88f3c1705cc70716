package dev.shoal.issue.repo;

import dev.shoal.platform.event.EventEnvelope;

/** What this service knows of a repository; {@code known} is false for one never written to. */
public record RepoRecord(long id, String org, String name, boolean isPrivate, String defaultBranch,
                         int requiredApprovals, boolean known) {

    public EventEnvelope.RepoRef ref() {
        return new EventEnvelope.RepoRef(id, org, name, isPrivate);
    }

    public String fullName() {
        return org + "/" + name;
    }
}
