package dev.shoal.issue.issue.service;

import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.repo.RepoRecord;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventType;
import dev.shoal.platform.event.schema.IssueEvent;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

/** Appends issue events carrying the issue as it is after the change, in the changing transaction. */
@ApplicationScoped
public class IssueEvents {

    private final Outbox outbox;

    public IssueEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> append(SqlClient tx, EventType<IssueEvent> type, Caller caller, RepoRecord repo, Issue issue,
                            Issue.Comment comment) {
        IssueEvent data = new IssueEvent(snapshot(issue), comment == null ? null
                : new IssueEvent.Comment(comment.id(), comment.body(), user(comment.author()), comment.createdAt()));
        return outbox.append(tx, type, actor(caller), repo.ref(), data, repo.id()).replaceWithVoid();
    }

    public static EventEnvelope.Actor actor(Caller caller) {
        return new EventEnvelope.Actor(caller.userId(), caller.login());
    }

    public static IssueEvent.User user(UserProfile profile) {
        return profile == null ? null : new IssueEvent.User(profile.id(), profile.username());
    }

    static IssueEvent.Issue snapshot(Issue issue) {
        return new IssueEvent.Issue(issue.id(), issue.number(), issue.title(), issue.body(), issue.state(),
                user(issue.author()),
                issue.labels() == null ? java.util.List.of()
                        : issue.labels().stream().map(l -> new IssueEvent.Label(l.id(), l.name(), l.color())).toList(),
                issue.assignees() == null ? java.util.List.of() : issue.assignees().stream().map(IssueEvents::user).toList(),
                issue.milestone() == null ? null : issue.milestone().id(), issue.isPinned(), issue.createdAt(),
                issue.updatedAt(), issue.closedAt());
    }
}
