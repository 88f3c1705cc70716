package dev.shoal.repo.repo;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.schema.RepoChanged;
import java.time.Instant;

/** A repository as stored: its git data lives under {@code <storage>/<id>.git}. */
public record Repo(long id, long orgId, String org, String name, String description, boolean isPrivate,
                   String defaultBranch, Instant createdAt, Instant updatedAt) {

    public String defaultRef() {
        return "refs/heads/" + defaultBranch;
    }

    public EventEnvelope.RepoRef ref() {
        return new EventEnvelope.RepoRef(id, org, name, isPrivate);
    }

    public RepoChanged changed() {
        return new RepoChanged(id, orgId, org, name, description, isPrivate, defaultBranch);
    }
}
