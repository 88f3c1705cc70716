package dev.shoal.issue.issue.service;

import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.issue.IssueRow;
import dev.shoal.issue.issue.repository.IssueRepository;
import dev.shoal.issue.issue.repository.IssueRepository.Assignee;
import dev.shoal.issue.support.Sql;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.issue.user.Users;
import dev.shoal.issue.user.repository.UserRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns issue rows into API views with a fixed number of queries per page, sent together: one for
 * labels, one for assignees, one for every user profile involved, whatever the page size.
 */
@ApplicationScoped
public class IssueViews {

    private final IssueRepository issues;
    private final UserRepository users;

    public IssueViews(IssueRepository issues, UserRepository users) {
        this.issues = issues;
        this.users = users;
    }

    public Uni<List<Issue>> page(SqlClient client, List<IssueRow> rows) {
        return assemble(client, rows, List.of());
    }

    public Uni<Issue> one(SqlClient client, IssueRow row, boolean withComments) {
        Uni<List<Row>> comments = withComments ? issues.comments(client, row.id()) : Uni.createFrom().item(List.of());
        return comments.chain(list -> assemble(client, List.of(row), list)).map(list -> list.get(0));
    }

    private Uni<List<Issue>> assemble(SqlClient client, List<IssueRow> rows, List<Row> comments) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> ids = rows.stream().map(IssueRow::id).toList();
        Set<Long> userIds = new HashSet<>();
        rows.forEach(r -> addIfPresent(userIds, r.authorId()));
        comments.forEach(c -> addIfPresent(userIds, c.getLong("author_id")));
        // Three independent queries at once (the pool runs them on separate connections, a single
        // connection pipelines them): a page waits for one round trip instead of three in a row.
        return Uni.combine().all().unis(issues.labels(client, ids), issues.assignees(client, ids),
                        users.byIdsAndAssigneesOf(client, userIds, ids))
                .with((labels, assignees, known) -> {
                    List<Issue> result = new ArrayList<>(rows.size());
                    for (IssueRow row : rows) {
                        result.add(view(row, labels.get(row.id()), assignees.get(row.id()), comments, known));
                    }
                    return result;
                });
    }

    private static Issue view(IssueRow row, List<Issue.Label> labels, List<Assignee> assignees, List<Row> comments,
                              Map<Long, UserProfile> known) {
        List<UserProfile> assigneeViews = assignees == null ? null
                : assignees.stream().map(a -> Users.show(known, a.userId(), a.username())).toList();
        List<Issue.Comment> commentViews = comments.isEmpty() ? null : comments.stream().map(c -> comment(c, known)).toList();
        Issue.Milestone milestone = row.milestoneId() == null ? null
                : new Issue.Milestone(row.milestoneId(), row.milestoneTitle(), row.milestoneState());
        return new Issue(row.id(), row.number(), row.title(), row.body(), row.state(),
                Users.show(known, row.authorId(), row.authorLogin()), labels, assigneeViews, milestone, row.isPinned(),
                commentViews, row.createdAt(), row.updatedAt(), row.closedAt());
    }

    public static Issue.Comment comment(Row row, Map<Long, UserProfile> known) {
        return new Issue.Comment(row.getLong("id"), row.getString("body"),
                Users.show(known, row.getLong("author_id"), row.getString("author_login")),
                Sql.instant(row, "created_at"), Sql.instant(row, "updated_at"));
    }

    private static void addIfPresent(Set<Long> ids, Long id) {
        if (id != null) {
            ids.add(id);
        }
    }
}
