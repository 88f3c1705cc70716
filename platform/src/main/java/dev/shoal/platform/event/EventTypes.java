package dev.shoal.platform.event;

import dev.shoal.platform.event.schema.IssueEvent;
import dev.shoal.platform.event.schema.MemberChanged;
import dev.shoal.platform.event.schema.PullRequestEvent;
import dev.shoal.platform.event.schema.OrgChanged;
import dev.shoal.platform.event.schema.PipelineSnapshot;
import dev.shoal.platform.event.schema.UserChanged;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.event.schema.ReleasePublished;
import dev.shoal.platform.event.schema.TagCreated;

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

    public static final EventType<TagCreated> TAG_CREATED = new EventType<>("tag.created", 1, Topics.REPO, TagCreated.class);
    public static final EventType<ReleasePublished> RELEASE_PUBLISHED = new EventType<>("release.published", 1, Topics.REPO, ReleasePublished.class);
    public static final EventType<IssueEvent> ISSUE_OPENED = new EventType<>("issue.opened", 1, Topics.ISSUE, IssueEvent.class);
    public static final EventType<IssueEvent> ISSUE_UPDATED = new EventType<>("issue.updated", 1, Topics.ISSUE, IssueEvent.class);
    public static final EventType<IssueEvent> ISSUE_CLOSED = new EventType<>("issue.closed", 1, Topics.ISSUE, IssueEvent.class);
    public static final EventType<IssueEvent> ISSUE_REOPENED = new EventType<>("issue.reopened", 1, Topics.ISSUE, IssueEvent.class);
    public static final EventType<IssueEvent> ISSUE_COMMENTED = new EventType<>("issue.commented", 1, Topics.ISSUE, IssueEvent.class);
    public static final EventType<PullRequestEvent> PULL_REQUEST_OPENED = new EventType<>("pull_request.opened", 1, Topics.ISSUE, PullRequestEvent.class);
    public static final EventType<PullRequestEvent> PULL_REQUEST_UPDATED = new EventType<>("pull_request.updated", 1, Topics.ISSUE, PullRequestEvent.class);
    public static final EventType<PullRequestEvent> PULL_REQUEST_MERGED = new EventType<>("pull_request.merged", 1, Topics.ISSUE, PullRequestEvent.class);
    public static final EventType<PullRequestEvent> PULL_REQUEST_CLOSED = new EventType<>("pull_request.closed", 1, Topics.ISSUE, PullRequestEvent.class);
    public static final EventType<PullRequestEvent> PULL_REQUEST_COMMENTED = new EventType<>("pull_request.commented", 1, Topics.ISSUE, PullRequestEvent.class);
    public static final EventType<PipelineSnapshot> PIPELINE_CREATED = new EventType<>("pipeline.created", 1, Topics.PIPELINE, PipelineSnapshot.class);
    public static final EventType<PipelineSnapshot> PIPELINE_STATUS_CHANGED = new EventType<>("pipeline.status_changed", 1, Topics.PIPELINE, PipelineSnapshot.class);
    public static final EventType<PipelineSnapshot> STEP_STATUS_CHANGED = new EventType<>("step.status_changed", 1, Topics.PIPELINE, PipelineSnapshot.class);
    public static final EventType<dev.shoal.platform.event.schema.RepoAccessChanged> REPO_ACCESS_CHANGED = new EventType<>(
            "repo.access_changed", 1, Topics.REPO, dev.shoal.platform.event.schema.RepoAccessChanged.class);

    private EventTypes() {
    }
}
