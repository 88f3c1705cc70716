package dev.shoal.platform.event;

import dev.shoal.platform.event.schema.MemberChanged;
import dev.shoal.platform.event.schema.OrgChanged;
import dev.shoal.platform.event.schema.PipelineSnapshot;
import dev.shoal.platform.event.schema.UserChanged;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.event.schema.RepoPushed;

/** Every event type Shoal emits, with the schema of its {@code data}. */
public final class EventTypes {

    public static final EventType<RepoChanged> REPO_CREATED = new EventType<>("repo.created", 1, Topics.REPO, RepoChanged.class);
    public static final EventType<RepoChanged> REPO_UPDATED = new EventType<>("repo.updated", 1, Topics.REPO, RepoChanged.class);
    public static final EventType<RepoChanged> REPO_DELETED = new EventType<>("repo.deleted", 1, Topics.REPO, RepoChanged.class);
    public static final EventType<RepoPushed> REPO_PUSHED = new EventType<>("repo.pushed", 1, Topics.REPO, RepoPushed.class);

    public static final EventType<UserChanged> USER_CREATED = new EventType<>("user.created", 1, Topics.IDENTITY, UserChanged.class);
    public static final EventType<UserChanged> USER_UPDATED = new EventType<>("user.updated", 1, Topics.IDENTITY, UserChanged.class);
    public static final EventType<UserChanged> USER_DEACTIVATED = new EventType<>("user.deactivated", 1, Topics.IDENTITY, UserChanged.class);
    public static final EventType<OrgChanged> ORG_CREATED = new EventType<>("org.created", 1, Topics.IDENTITY, OrgChanged.class);
    public static final EventType<MemberChanged> MEMBER_ADDED = new EventType<>("member.added", 1, Topics.IDENTITY, MemberChanged.class);
    public static final EventType<MemberChanged> MEMBER_UPDATED = new EventType<>("member.updated", 1, Topics.IDENTITY, MemberChanged.class);
    public static final EventType<MemberChanged> MEMBER_REMOVED = new EventType<>("member.removed", 1, Topics.IDENTITY, MemberChanged.class);

    // issue.*, pull_request.*, pipeline.*, step.*, tag.created and release.published are declared
    // here by the services that produce them, each with its schema class in event/schema.

    public static final EventType<PipelineSnapshot> PIPELINE_CREATED = new EventType<>("pipeline.created", 1, Topics.PIPELINE, PipelineSnapshot.class);
    public static final EventType<PipelineSnapshot> PIPELINE_STATUS_CHANGED = new EventType<>("pipeline.status_changed", 1, Topics.PIPELINE, PipelineSnapshot.class);
    public static final EventType<PipelineSnapshot> STEP_STATUS_CHANGED = new EventType<>("step.status_changed", 1, Topics.PIPELINE, PipelineSnapshot.class);

    private EventTypes() {
    }
}
