package dev.shoal.issue.issue.repository;

import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.issue.IssueRow;
import dev.shoal.issue.support.Sql;
import dev.shoal.platform.db.WindowedPage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class IssueRepository {

    private static final String SELECT = "SELECT i.*, m.title AS milestone_title, m.state AS milestone_state "
            + "FROM issue i LEFT JOIN milestone m ON m.id = i.milestone_id ";

    /**
     * Private issues (made through Pagure's API) show to organization members ($5 true), their
     * author and their assignees ($6, the viewer's id) only.
     */
    static final String VISIBLE = "(NOT i.is_private OR $5 OR i.author_id = $6 OR EXISTS "
            + "(SELECT 1 FROM issue_assignee a WHERE a.issue_id = i.id AND a.user_id = $6)) ";

    private static final String LISTED = "FROM issue i WHERE i.repo_id = $1 AND i.state = $2 AND NOT i.deleted AND " + VISIBLE;

    /** A timestamp as the API writes it (platform's {@code TimestampModule}): RFC 3339, UTC, to the second. */
    private static String timestamp(String column) {
        return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
    }

    /** A {@code users} row as {@code UserProfile} shows it. */
    private static String profile(String u) {
        return "json_build_object('id', " + u + ".id, 'username', " + u + ".username, 'email', " + u + ".email, "
                + "'display_name', " + u + ".display_name, 'is_admin', " + u + ".is_admin, 'avatar_url', " + u + ".avatar_url, "
                + "'created_at', " + timestamp(u + ".created_at") + ")";
    }

    /**
     * An issue as {@link Issue} is written for a list (no comments), rendered by PostgreSQL: the keys in
     * the record's order, absent ones left out ({@code json_strip_nulls}, as {@code NON_NULL}), the
     * author and assignees as {@code Users.show} picks them (the known profile, else the recorded id
     * and login), labels and assignees ordered as {@code IssueViews} orders them. The list test
     * compares each item with the issue's own answer, byte for byte.
     */
    private static final String ISSUE_JSON = "json_strip_nulls(json_build_object("
            + "'id', i.id, 'number', i.number, 'title', i.title, 'body', i.body, 'state', i.state, "
            + "'author', CASE WHEN au.id IS NOT NULL THEN " + profile("au")
            + " WHEN i.author_id IS NOT NULL OR i.author_login IS NOT NULL "
            + "THEN json_build_object('id', i.author_id, 'username', i.author_login) END, "
            + "'labels', (SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color) ORDER BY lower(l.name)) "
            + "FROM issue_label il JOIN label l ON l.id = il.label_id WHERE il.issue_id = i.id), "
            + "'assignees', (SELECT json_agg(CASE WHEN u.id IS NOT NULL THEN " + profile("u")
            + " ELSE json_build_object('id', a.user_id, 'username', a.username) END ORDER BY lower(a.username)) "
            + "FROM issue_assignee a LEFT JOIN users u ON u.id = a.user_id WHERE a.issue_id = i.id), "
            + "'milestone', CASE WHEN m.id IS NOT NULL THEN json_build_object('id', m.id, 'title', m.title, 'state', m.state) END, "
            + "'is_pinned', i.is_pinned, 'created_at', " + timestamp("i.created_at") + ", 'updated_at', "
            + timestamp("i.updated_at") + ", 'closed_at', " + timestamp("i.closed_at") + "))::text";

    /**
     * The list query; public so a test can check its plan uses the list index. The page's ids come
     * from the index in list order and the total from a count, both on narrow rows; only the page's
     * rows are read whole, each with its milestone, author, labels and assignees, and rendered as its
     * JSON by the database: a page is one round trip, and the service writes the text as it comes.
     * (Before, five queries: the page, then labels, assignees and profiles, mapped into records and
     * serialized again.)
     */
    public static final String PAGE = page(true);

    /** {@link #PAGE} without the count, for a list whose total is already known at this version. */
    static final String PAGE_OF_KNOWN_TOTAL = page(false);

    private static String page(boolean counted) {
        return "WITH page AS (SELECT i.id " + LISTED
                + "ORDER BY i.is_pinned DESC, i.number DESC LIMIT $3 OFFSET $4) "
                + "SELECT " + ISSUE_JSON + " AS json" + (counted ? ", (SELECT count(*) " + LISTED + ") AS total " : " ")
                + "FROM page JOIN issue i ON i.id = page.id LEFT JOIN milestone m ON m.id = i.milestone_id "
                + "LEFT JOIN users au ON au.id = i.author_id "
                + "ORDER BY i.is_pinned DESC, i.number DESC";
    }

    /** A page of issues, each already JSON text (see {@link #PAGE}), and how many the list holds. */
    public record Page(List<String> issues, long total) {
    }

    public record Assignee(long userId, String username) {
    }

    /**
     * One page in one query, served by the (repo_id, state, is_pinned, number) index; the count in
     * the same query gives the total without a second round trip. A {@code knownTotal} (the same
     * list's total, read at the same list version: {@code IssueListCache}) skips the count, which
     * costs as much as a deep page: every listed issue's index entry.
     */
    public Uni<Page> page(SqlClient client, long repoId, String state, int limit, long offset, boolean member, Long viewerId,
                          Long knownTotal) {
        long viewer = viewerId == null ? -1L : viewerId;
        if (knownTotal != null) {
            return client.preparedQuery(PAGE_OF_KNOWN_TOTAL)
                    .execute(Sql.args(repoId, state, limit, offset, member, viewer))
                    .map(rows -> new Page(Sql.list(rows, row -> row.getString("json")), knownTotal));
        }
        return client.preparedQuery(PAGE)
                .execute(Sql.args(repoId, state, limit, offset, member, viewer))
                .chain(rows -> WindowedPage.of(rows, offset, row -> row.getString("json"),
                        () -> client.preparedQuery("SELECT count(*) " + LISTED.replace("$5", "$3").replace("$6", "$4"))
                                .execute(Sql.args(repoId, state, member, viewer))
                                .map(count -> count.iterator().next().getLong(0))))
                .map(page -> new Page(page.items(), page.total()));
    }

    /** Whether a viewer may see this issue (see {@link #VISIBLE}). */
    public Uni<Boolean> visible(SqlClient client, long issueId, boolean member, Long viewerId) {
        return client.preparedQuery("SELECT 1 FROM issue i WHERE i.id = $1 AND "
                        + VISIBLE.replace("$5", "$2").replace("$6", "$3"))
                .execute(Sql.args(issueId, member, viewerId == null ? -1L : viewerId))
                .map(rows -> rows.size() > 0);
    }

    public Uni<Optional<IssueRow>> find(SqlClient client, long repoId, long number, boolean lock) {
        return client.preparedQuery(SELECT + "WHERE i.repo_id = $1 AND i.number = $2 AND NOT i.deleted"
                        + (lock ? " FOR UPDATE OF i" : ""))
                .execute(Sql.args(repoId, number))
                .map(rows -> Sql.first(rows, IssueRepository::map));
    }

    /** A new issue in state {@code new}, with its opening facts (privacy, priority weight, milestone: Pagure's). */
    public Uni<Long> insert(SqlClient tx, long repoId, long number, String title, String body, Long authorId,
                            String authorLogin, boolean isPrivate, Integer priority, Long milestoneId) {
        return tx.preparedQuery("INSERT INTO issue (repo_id, number, title, body, state, author_id, author_login, is_private, "
                        + "priority, milestone_id) VALUES ($1, $2, $3, $4, 'new', $5, $6, $7, $8, $9) RETURNING id")
                .execute(Sql.args(repoId, number, title, body, authorId, authorLogin, isPrivate, priority, milestoneId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Void> update(SqlClient tx, IssueRow issue) {
        return tx.preparedQuery("UPDATE issue SET title = $2, body = $3, state = $4, milestone_id = $5, is_pinned = $6, "
                        + "closed_at = $7, updated_at = now(), "
                        // a close status (and who closed) qualifies a closed issue only: reopening clears them
                        + "close_status = CASE WHEN $4 = 'closed' THEN close_status END, "
                        + "closed_by_id = CASE WHEN $4 = 'closed' THEN closed_by_id END, "
                        + "closed_by_login = CASE WHEN $4 = 'closed' THEN closed_by_login END WHERE id = $1")
                .execute(Sql.args(issue.id(), issue.title(), issue.body(), issue.state(), issue.milestoneId(),
                        issue.isPinned(), issue.closedAt()))
                .replaceWithVoid();
    }

    public Uni<Void> touch(SqlClient tx, long issueId) {
        return tx.preparedQuery("UPDATE issue SET updated_at = now() WHERE id = $1").execute(Sql.args(issueId)).replaceWithVoid();
    }

    public Uni<Map<Long, List<Issue.Label>>> labels(SqlClient client, Collection<Long> issueIds) {
        if (issueIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT il.issue_id, l.id, l.name, l.color FROM issue_label il "
                        + "JOIN label l ON l.id = il.label_id WHERE il.issue_id = ANY($1) ORDER BY lower(l.name)")
                .execute(Sql.args((Object) Sql.ids(issueIds)))
                .map(rows -> {
                    Map<Long, List<Issue.Label>> result = new HashMap<>();
                    for (Row row : rows) {
                        result.computeIfAbsent(row.getLong("issue_id"), k -> new ArrayList<>())
                                .add(new Issue.Label(row.getLong("id"), row.getString("name"), row.getString("color")));
                    }
                    return result;
                });
    }

    public Uni<Map<Long, List<Assignee>>> assignees(SqlClient client, Collection<Long> issueIds) {
        if (issueIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT issue_id, user_id, username FROM issue_assignee WHERE issue_id = ANY($1) "
                        + "ORDER BY lower(username)")
                .execute(Sql.args((Object) Sql.ids(issueIds)))
                .map(rows -> {
                    Map<Long, List<Assignee>> result = new HashMap<>();
                    for (Row row : rows) {
                        result.computeIfAbsent(row.getLong("issue_id"), k -> new ArrayList<>())
                                .add(new Assignee(row.getLong("user_id"), row.getString("username")));
                    }
                    return result;
                });
    }

    public Uni<Integer> addLabels(SqlClient tx, long issueId, Collection<Long> labelIds) {
        return tx.preparedQuery("INSERT INTO issue_label (issue_id, label_id) SELECT $1, unnest($2::bigint[]) "
                        + "ON CONFLICT DO NOTHING")
                .execute(Sql.args(issueId, Sql.ids(labelIds)))
                .map(rows -> rows.rowCount());
    }

    public Uni<Integer> removeLabel(SqlClient tx, long issueId, long labelId) {
        return tx.preparedQuery("DELETE FROM issue_label WHERE issue_id = $1 AND label_id = $2")
                .execute(Sql.args(issueId, labelId))
                .map(rows -> rows.rowCount());
    }

    public Uni<Void> replaceAssignees(SqlClient tx, long issueId, List<Assignee> assignees) {
        Long[] ids = assignees.stream().map(Assignee::userId).toArray(Long[]::new);
        String[] names = assignees.stream().map(Assignee::username).toArray(String[]::new);
        return tx.preparedQuery("DELETE FROM issue_assignee WHERE issue_id = $1").execute(Sql.args(issueId))
                .chain(() -> assignees.isEmpty() ? Uni.createFrom().voidItem()
                        : tx.preparedQuery("INSERT INTO issue_assignee (issue_id, user_id, username) "
                                        + "SELECT $1, u.id, u.name FROM unnest($2::bigint[], $3::text[]) AS u(id, name)")
                                .execute(Sql.args(issueId, ids, names)).replaceWithVoid());
    }

    public Uni<List<Row>> comments(SqlClient client, long issueId) {
        return client.preparedQuery("SELECT * FROM issue_comment WHERE issue_id = $1 ORDER BY id")
                .execute(Sql.args(issueId))
                .map(rows -> Sql.list(rows, row -> row));
    }

    public Uni<Row> insertComment(SqlClient tx, long issueId, String body, Long authorId, String authorLogin) {
        return tx.preparedQuery("INSERT INTO issue_comment (issue_id, body, author_id, author_login) "
                        + "VALUES ($1, $2, $3, $4) RETURNING *")
                .execute(Sql.args(issueId, body, authorId, authorLogin))
                .map(rows -> rows.iterator().next());
    }

    public static IssueRow map(Row row) {
        return new IssueRow(row.getLong("id"), row.getLong("repo_id"), row.getLong("number"), row.getString("title"),
                row.getString("body"), row.getString("state"), row.getLong("author_id"), row.getString("author_login"),
                row.getBoolean("is_pinned"), row.getLong("milestone_id"), row.getString("milestone_title"),
                row.getString("milestone_state"), Sql.instant(row, "created_at"), Sql.instant(row, "updated_at"),
                Sql.instant(row, "closed_at"));
    }
}
