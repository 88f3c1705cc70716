package dev.shoal.platform.event;

import dev.shoal.platform.event.schema.IdentityChanged;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.event.schema.RepoPushed;

/** Every event type Shoal emits, with the schema of its {@code data}. */
public final class EventTypes {

    public static final EventType<RepoChanged> REPO_CREATED = new EventType<>("repo.created", 1, Topics.REPO, RepoChanged.class);
    public static final EventType<RepoChanged> REPO_UPDATED = new EventType<>("repo.updated", 1, Topics.REPO, RepoChanged.class);
    public static final EventType<RepoChanged> REPO_DELETED = new EventType<>("repo.deleted", 1, Topics.REPO, RepoChanged.class);
    public static final EventType<RepoPushed> REPO_PUSHED = new EventType<>("repo.pushed", 1, Topics.REPO, RepoPushed.class);

    public static final EventType<IdentityChanged> USER_CREATED = new EventType<>("user.created", 1, Topics.IDENTITY, IdentityChanged.class);
    public static final EventType<IdentityChanged> USER_UPDATED = new EventType<>("user.updated", 1, Topics.IDENTITY, IdentityChanged.class);
    public static final EventType<IdentityChanged> USER_DEACTIVATED = new EventType<>("user.deactivated", 1, Topics.IDENTITY, IdentityChanged.class);
    public static final EventType<IdentityChanged> ORG_CREATED = new EventType<>("org.created", 1, Topics.IDENTITY, IdentityChanged.class);
    public static final EventType<IdentityChanged> MEMBER_ADDED = new EventType<>("member.added", 1, Topics.IDENTITY, IdentityChanged.class);
    public static final EventType<IdentityChanged> MEMBER_REMOVED = new EventType<>("member.removed", 1, Topics.IDENTITY, IdentityChanged.class);

    private EventTypes() {
    }
}
