package dev.shoal.issue.compat.pagure.repository;

import dev.shoal.issue.compat.pagure.PagurePull;
import dev.shoal.issue.pull.PullRow;
import dev.shoal.issue.pull.repository.PullRepository;
import dev.shoal.issue.support.Sql;
import dev.shoal.platform.db.WindowedPage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Pagure-only parts of pull requests (uid, assignee, closer) and Pagure's listings. */
@ApplicationScoped
public class PagurePullRepository {

    public record Page(List<PullRow> rows, long total) {
    }

    /** A date range filter, either end open. */
    public record Range(Instant from, Instant to) {
    }

    /**
     * {@code statuses}: the Shoal statuses wanted; {@code repoId} null for instance-wide listings,
     * then {@code orgs} (when non-null) restricts to those organizations and private repositories
     * show only for {@code memberOrgs}.
     */
    public record Filter(Long repoId, List<String> statuses, String assignee, String author, Long authorId,
                         Long notAuthorId, Collection<String> orgs, Collection<String> memberOrgs, Range created,
                         Range updated, Range closed) {
    }

    public Uni<Page> page(SqlClient client, Filter f, int limit, long offset) {
        Where where = new Where().and("NOT p.deleted AND r.deleted_at IS NULL").and("p.status = ANY(?)",
                (Object) f.statuses().toArray(String[]::new));
        if (f.repoId() != null) {
            where.and("p.repo_id = ?", f.repoId());
        } else {
            where.and("NOT r.is_private OR r.org = ANY(?)", (Object) f.memberOrgs().toArray(String[]::new));
        }
        if (f.orgs() != null) {
            where.and("r.org = ANY(?)", (Object) f.orgs().toArray(String[]::new));
        }
        if (f.assignee() != null) {
            where.and("lower(p.assignee_login) = lower(?)", f.assignee());
        }
        if (f.author() != null) {
            where.and("lower(p.author_login) = lower(?)", f.author());
        }
        if (f.authorId() != null) {
            where.and("p.author_id = ?", f.authorId());
        }
        if (f.notAuthorId() != null) {
            where.and("p.author_id IS DISTINCT FROM ?", f.notAuthorId());
        }
        range(where, "p.created_at", f.created());
        range(where, "p.updated_at", f.updated());
        range(where, "coalesce(p.closed_at, p.merged_at)", f.closed());
        String sql = "SELECT p.*, count(*) OVER () AS total FROM pull_request p JOIN repository r ON r.id = p.repo_id"
                + where.sql() + " ORDER BY p.created_at DESC, p.id DESC LIMIT " + where.bind(limit) + " OFFSET " + where.bind(offset);
        return client.preparedQuery(sql).execute(where.args())
                .chain(rows -> WindowedPage.of(rows, offset, PullRepository::map, () -> page(client, f, 1, 0).map(Page::total)))
                .map(page -> new Page(page.items(), page.total()));
    }

    private static void range(Where where, String column, Range range) {
        if (range == null) {
            return;
        }
        if (range.from() != null) {
            where.and(column + " >= ?", range.from());
        }
        if (range.to() != null) {
            where.and(column + " < ?", range.to());
        }
    }

    /** Organizations with open pull requests not by this user (the candidates for "actionable"). */
    public Uni<List<String>> openPullOrgs(SqlClient client, long notAuthorId) {
        return client.preparedQuery("SELECT DISTINCT r.org FROM pull_request p JOIN repository r ON r.id = p.repo_id "
                        + "WHERE NOT p.deleted AND r.deleted_at IS NULL AND p.author_id IS DISTINCT FROM $1 ORDER BY 1 LIMIT 200")
                .execute(Sql.args(notAuthorId)).map(rows -> Sql.list(rows, r -> r.getString(0)));
    }

    /** Organizations of private repositories holding pull requests by this user. */
    public Uni<List<String>> privateOrgsOf(SqlClient client, long authorId) {
        return client.preparedQuery("SELECT DISTINCT r.org FROM pull_request p JOIN repository r ON r.id = p.repo_id "
                        + "WHERE NOT p.deleted AND r.is_private AND p.author_id = $1 ORDER BY 1 LIMIT 200")
                .execute(Sql.args(authorId)).map(rows -> Sql.list(rows, r -> r.getString(0)));
    }

    public Uni<Map<Long, PagurePull.Extra>> extras(SqlClient client, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT p.id, p.repo_id, p.uid, p.assignee_id, p.assignee_login, p.closed_by_id, p.closed_by_login, "
                        + "r.org, r.name FROM pull_request p JOIN repository r ON r.id = p.repo_id WHERE p.id = ANY($1)")
                .execute(Sql.args((Object) Sql.ids(ids)))
                .map(rows -> {
                    Map<Long, PagurePull.Extra> result = new HashMap<>();
                    for (Row r : rows) {
                        result.put(r.getLong("id"), new PagurePull.Extra(r.getString("uid"), r.getLong("assignee_id"), r.getString("assignee_login"),
                                r.getLong("closed_by_id"), r.getString("closed_by_login"), r.getLong("repo_id"), r.getString("org"),
                                r.getString("name")));
                    }
                    return result;
                });
    }

    /** The pull request with this uid and its repository's row (org, name, is_private), if not deleted. */
    public Uni<Optional<Row>> byUid(SqlClient client, String uid) {
        return client.preparedQuery("SELECT p.*, r.org AS repo_org, r.name AS repo_name, r.is_private AS repo_private "
                        + "FROM pull_request p JOIN repository r ON r.id = p.repo_id "
                        + "WHERE p.uid = $1 AND NOT p.deleted AND r.deleted_at IS NULL")
                .execute(Sql.args(uid)).map(rows -> Sql.first(rows, r -> r));
    }

    public Uni<Void> assign(SqlClient tx, long id, Long userId, String login) {
        return tx.preparedQuery("UPDATE pull_request SET assignee_id = $2, assignee_login = $3, updated_at = now() WHERE id = $1")
                .execute(Sql.args(id, userId, login)).replaceWithVoid();
    }

    public Uni<Void> closedBy(SqlClient tx, long id, Long userId, String login) {
        return tx.preparedQuery("UPDATE pull_request SET closed_by_id = $2, closed_by_login = $3 WHERE id = $1")
                .execute(Sql.args(id, userId, login)).replaceWithVoid();
    }

    /** A review line comment with its review's author and date, as Pagure shows inline comments. */
    public record LineComment(long id, String path, int line, String body, String commitSha, Long authorId, String authorLogin,
                              Instant createdAt) {
    }

    public Uni<List<LineComment>> lineComments(SqlClient client, long pullId) {
        return client.preparedQuery("SELECT c.id, c.path, c.line, c.body, c.commit_sha, r.author_id, r.author_login, r.created_at "
                        + "FROM pull_review_comment c JOIN pull_review r ON r.id = c.review_id WHERE r.pull_id = $1 ORDER BY c.id")
                .execute(Sql.args(pullId))
                .map(rows -> Sql.list(rows, r -> new LineComment(r.getLong("id"), r.getString("path"), r.getInteger("line"),
                        r.getString("body"), r.getString("commit_sha"), r.getLong("author_id"), r.getString("author_login"),
                        Sql.instant(r, "created_at"))));
    }
}
