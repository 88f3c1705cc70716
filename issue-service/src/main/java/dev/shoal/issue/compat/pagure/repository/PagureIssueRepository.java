package dev.shoal.issue.compat.pagure.repository;

import dev.shoal.issue.compat.pagure.PagureIssue;
import dev.shoal.issue.issue.IssueRow;
import dev.shoal.issue.issue.repository.IssueRepository;
import dev.shoal.issue.support.Sql;
import dev.shoal.platform.db.WindowedPage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Pagure-only parts of issues (close status, privacy, priority, custom fields, subscribers) and Pagure's filters. */
@ApplicationScoped
public class PagureIssueRepository {

    public record Page(List<IssueRow> rows, long total) {
    }

    /**
     * Pagure's issue filters. {@code status}: open, closed, all, or a close status; null lists
     * mean no filter. {@code viewerId}/{@code memberOrgs} decide which private issues show.
     */
    public record Filter(Long repoId, String status, String closeStatus, List<String> tags, List<String> notTags,
                         String assignee, String author, List<String> milestones, Integer priority, Boolean noStones,
                         Instant since, boolean ascending, Long authorId, Long assigneeId, Long viewerId,
                         boolean viewerMember, Collection<String> memberOrgs) {
    }

    public Uni<Page> page(SqlClient client, Filter f, int limit, long offset) {
        Where where = new Where().and("NOT i.deleted AND r.deleted_at IS NULL");
        if (f.repoId() != null) {
            where.and("i.repo_id = ?", f.repoId());
        } else {
            // across repositories: private repositories only of organizations the viewer is a member of
            where.and("NOT r.is_private OR r.org = ANY(?)", (Object) f.memberOrgs().toArray(String[]::new));
        }
        switch (f.status()) {
            case "open" -> where.and("i.state IN ('new', 'open')");
            case "closed" -> where.and("i.state = 'closed'");
            case "close_status" -> where.and("i.state = 'closed' AND lower(i.close_status) = lower(?)", f.closeStatus());
            default -> { }
        }
        for (String tag : f.tags()) {
            where.and("EXISTS (SELECT 1 FROM issue_label il JOIN label l ON l.id = il.label_id "
                    + "WHERE il.issue_id = i.id AND lower(l.name) = lower(?))", tag);
        }
        for (String tag : f.notTags()) {
            where.and("NOT EXISTS (SELECT 1 FROM issue_label il JOIN label l ON l.id = il.label_id "
                    + "WHERE il.issue_id = i.id AND lower(l.name) = lower(?))", tag);
        }
        if (f.assignee() != null) {
            where.and("EXISTS (SELECT 1 FROM issue_assignee a WHERE a.issue_id = i.id AND lower(a.username) = lower(?))", f.assignee());
        }
        if (f.author() != null) {
            where.and("lower(i.author_login) = lower(?)", f.author());
        }
        if (f.authorId() != null) {
            where.and("i.author_id = ?", f.authorId());
        }
        if (f.assigneeId() != null) {
            where.and("EXISTS (SELECT 1 FROM issue_assignee a WHERE a.issue_id = i.id AND a.user_id = ?)", f.assigneeId());
        }
        if (!f.milestones().isEmpty()) {
            where.and("lower(m.title) = ANY(?)", (Object) f.milestones().stream().map(String::toLowerCase).toArray(String[]::new));
        }
        if (f.priority() != null) {
            where.and("i.priority = ?", f.priority());
        }
        if (f.noStones() != null) {
            where.and(f.noStones() ? "i.milestone_id IS NULL" : "i.milestone_id IS NOT NULL");
        }
        if (f.since() != null) {
            where.and("i.updated_at >= ?", f.since());
        }
        if (!f.viewerMember()) {
            long viewer = f.viewerId() == null ? -1 : f.viewerId();
            where.and("NOT i.is_private OR i.author_id = ? OR r.org = ANY(?) OR EXISTS (SELECT 1 FROM issue_assignee a "
                    + "WHERE a.issue_id = i.id AND a.user_id = ?)", viewer, f.memberOrgs().toArray(String[]::new), viewer);
        }
        String order = f.ascending() ? "ASC" : "DESC";
        String sql = "SELECT i.*, m.title AS milestone_title, m.state AS milestone_state, count(*) OVER () AS total "
                + "FROM issue i JOIN repository r ON r.id = i.repo_id LEFT JOIN milestone m ON m.id = i.milestone_id"
                + where.sql() + " ORDER BY i.created_at " + order + ", i.id " + order
                + " LIMIT " + where.bind(limit) + " OFFSET " + where.bind(offset);
        // past the last page the window count is not available: ask for the first row's total instead
        return client.preparedQuery(sql).execute(where.args())
                .chain(rows -> WindowedPage.of(rows, offset, IssueRepository::map, () -> page(client, f, 1, 0).map(Page::total)))
                .map(page -> new Page(page.items(), page.total()));
    }

    /** Organizations holding issues of this author or assignee that are private or in private repositories. */
    public Uni<List<String>> privateOrgsOf(SqlClient client, long userId) {
        return client.preparedQuery("SELECT DISTINCT r.org FROM issue i JOIN repository r ON r.id = i.repo_id "
                        + "WHERE NOT i.deleted AND (r.is_private OR i.is_private) AND (i.author_id = $1 OR EXISTS "
                        + "(SELECT 1 FROM issue_assignee a WHERE a.issue_id = i.id AND a.user_id = $1)) ORDER BY 1 LIMIT 100")
                .execute(Sql.args(userId)).map(rows -> Sql.list(rows, r -> r.getString(0)));
    }

    public Uni<Map<Long, PagureIssue.Extra>> extras(SqlClient client, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT i.id, i.close_status, i.is_private, i.priority, i.closed_by_id, i.closed_by_login, "
                        + "r.org, r.name FROM issue i JOIN repository r ON r.id = i.repo_id WHERE i.id = ANY($1)")
                .execute(Sql.args((Object) Sql.ids(ids)))
                .map(rows -> {
                    Map<Long, PagureIssue.Extra> result = new HashMap<>();
                    for (Row r : rows) {
                        result.put(r.getLong("id"), new PagureIssue.Extra(r.getString("close_status"), r.getBoolean("is_private"),
                                r.getInteger("priority"), r.getLong("closed_by_id"), r.getString("closed_by_login"),
                                r.getString("org"), r.getString("name")));
                    }
                    return result;
                });
    }

    public Uni<Map<Long, List<PagureIssue.CustomValue>>> customFields(SqlClient client, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT v.issue_id, k.name, k.key_type, v.value FROM issue_custom_field v "
                        + "JOIN custom_field_key k ON k.id = v.key_id WHERE v.issue_id = ANY($1) ORDER BY k.position, k.id")
                .execute(Sql.args((Object) Sql.ids(ids)))
                .map(rows -> {
                    Map<Long, List<PagureIssue.CustomValue>> result = new HashMap<>();
                    for (Row r : rows) {
                        result.computeIfAbsent(r.getLong("issue_id"), k -> new ArrayList<>())
                                .add(new PagureIssue.CustomValue(r.getString("name"), r.getString("key_type"), r.getString("value")));
                    }
                    return result;
                });
    }

    public Uni<Void> setPagureFields(SqlClient tx, long issueId, boolean isPrivate, Integer priority) {
        return tx.preparedQuery("UPDATE issue SET is_private = $2, priority = $3 WHERE id = $1")
                .execute(Sql.args(issueId, isPrivate, priority)).replaceWithVoid();
    }

    /** Records the close status and closer of an issue the same transaction just closed. */
    public Uni<Void> closeStatus(SqlClient tx, long issueId, String closeStatus, Long byId, String byLogin) {
        return tx.preparedQuery("UPDATE issue SET close_status = $2, closed_by_id = $3, closed_by_login = $4 WHERE id = $1")
                .execute(Sql.args(issueId, closeStatus, byId, byLogin)).replaceWithVoid();
    }

    /** Sets (or with null removes) one custom field; returns the previous value. */
    public Uni<Optional<String>> setCustom(SqlClient tx, long issueId, long keyId, String value) {
        return tx.preparedQuery("SELECT value FROM issue_custom_field WHERE issue_id = $1 AND key_id = $2")
                .execute(Sql.args(issueId, keyId))
                .map(rows -> Sql.first(rows, r -> r.getString(0)))
                .call(() -> value == null
                        ? tx.preparedQuery("DELETE FROM issue_custom_field WHERE issue_id = $1 AND key_id = $2")
                                .execute(Sql.args(issueId, keyId))
                        : tx.preparedQuery("INSERT INTO issue_custom_field (issue_id, key_id, value) VALUES ($1, $2, $3) "
                                        + "ON CONFLICT (issue_id, key_id) DO UPDATE SET value = EXCLUDED.value")
                                .execute(Sql.args(issueId, keyId, value)));
    }

    public Uni<Boolean> subscribe(SqlClient tx, long issueId, long userId, String username, boolean subscribe) {
        return (subscribe
                ? tx.preparedQuery("INSERT INTO issue_subscriber (issue_id, user_id, username) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (issue_id, user_id) DO UPDATE SET username = EXCLUDED.username").execute(Sql.args(issueId, userId, username))
                : tx.preparedQuery("DELETE FROM issue_subscriber WHERE issue_id = $1 AND user_id = $2").execute(Sql.args(issueId, userId)))
                .map(rows -> rows.rowCount() > 0);
    }

    public Uni<List<String>> subscribers(SqlClient client, long issueId) {
        return client.preparedQuery("SELECT username FROM issue_subscriber WHERE issue_id = $1 ORDER BY lower(username)")
                .execute(Sql.args(issueId)).map(rows -> Sql.list(rows, r -> r.getString(0)));
    }

    public Uni<Optional<Row>> comment(SqlClient client, long issueId, long commentId) {
        return client.preparedQuery("SELECT * FROM issue_comment WHERE issue_id = $1 AND id = $2")
                .execute(Sql.args(issueId, commentId)).map(rows -> Sql.first(rows, r -> r));
    }

    public Uni<Optional<Long>> milestoneByTitle(SqlClient client, long repoId, String title) {
        return client.preparedQuery("SELECT id FROM milestone WHERE repo_id = $1 AND lower(title) = lower($2)")
                .execute(Sql.args(repoId, title)).map(rows -> Sql.first(rows, r -> r.getLong(0)));
    }

}
