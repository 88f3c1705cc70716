package dev.shoal.issue.pull.service;

import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.issue.service.IssueEvents;
import dev.shoal.issue.issue.service.IssueViews;
import dev.shoal.issue.pull.PullRequest;
import dev.shoal.issue.pull.PullRow;
import dev.shoal.issue.pull.repository.PullRepository;
import dev.shoal.issue.repo.RepoRecord;
import dev.shoal.issue.user.Users;
import dev.shoal.issue.user.repository.UserRepository;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventType;
import dev.shoal.platform.event.schema.IssueEvent;
import dev.shoal.platform.event.schema.PullRequestEvent;
import dev.shoal.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Pull request views (batched: approvals and profiles per page, not per row) and their events. */
@ApplicationScoped
public class PullViews {

    private final PullRepository pulls;
    private final UserRepository users;
    private final Outbox outbox;

    public PullViews(PullRepository pulls, UserRepository users, Outbox outbox) {
        this.pulls = pulls;
        this.users = users;
        this.outbox = outbox;
    }

    public Uni<List<PullRequest>> page(SqlClient client, List<PullRow> rows) {
        return assemble(client, rows, List.of());
    }

    public Uni<PullRequest> one(SqlClient client, PullRow row, boolean withComments) {
        return (withComments ? pulls.comments(client, row.id()) : Uni.createFrom().item(List.<Row>of()))
                .chain(comments -> assemble(client, List.of(row), comments)).map(list -> list.get(0));
    }

    private Uni<List<PullRequest>> assemble(SqlClient client, List<PullRow> rows, List<Row> comments) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Set<Long> userIds = new HashSet<>();
        rows.forEach(r -> {
            if (r.authorId() != null) {
                userIds.add(r.authorId());
            }
            if (r.mergedBy() != null) {
                userIds.add(r.mergedBy());
            }
        });
        comments.forEach(c -> {
            if (c.getLong("author_id") != null) {
                userIds.add(c.getLong("author_id"));
            }
        });
        return pulls.approvals(client, rows.stream().map(PullRow::id).toList())
                .chain(approvals -> users.byIds(client, userIds).map(known -> rows.stream().map(row -> {
                    List<Issue.Comment> views = comments.isEmpty() ? null
                            : comments.stream().map(c -> IssueViews.comment(c, known)).toList();
                    return new PullRequest(row.id(), row.number(), row.title(), row.body(), row.status(),
                            Users.show(known, row.authorId(), row.authorLogin()), row.sourceBranch(), row.targetBranch(),
                            row.headSha(), row.baseSha(), row.mergeCommit(),
                            row.mergedBy() == null ? null : Users.show(known, row.mergedBy(), row.mergedByLogin()),
                            row.mergedAt(), row.closedAt(), approvals.getOrDefault(row.id(), 0), row.createdAt(),
                            row.updatedAt(), views);
                }).toList()));
    }

    public Uni<Void> append(SqlClient tx, EventType<PullRequestEvent> type, EventEnvelope.Actor actor, RepoRecord repo,
                            PullRequest pull, Issue.Comment comment) {
        PullRequestEvent data = new PullRequestEvent(new PullRequestEvent.PullRequest(pull.id(), pull.number(),
                pull.title(), pull.body(), pull.status(), IssueEvents.user(pull.author()), pull.sourceBookmark(),
                pull.targetBranch(), pull.headSha(), pull.baseSha(), pull.mergeCommit(), IssueEvents.user(pull.mergedBy()),
                pull.mergedAt(), pull.approvals(), pull.createdAt(), pull.updatedAt()),
                comment == null ? null : new IssueEvent.Comment(comment.id(), comment.body(),
                        IssueEvents.user(comment.author()), comment.createdAt()));
        return outbox.append(tx, type, actor, repo.ref(), data, repo.id()).replaceWithVoid();
    }
}
