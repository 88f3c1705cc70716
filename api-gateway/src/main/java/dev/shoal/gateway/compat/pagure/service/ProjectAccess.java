package dev.shoal.gateway.compat.pagure.service;

import dev.shoal.gateway.access.RepoGrant;
import dev.shoal.gateway.access.RepoGrants;
import dev.shoal.platform.event.schema.RepoAccessChanged;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Access to one repository granted beyond organization membership, as Pagure grants it: a user's own
 * ACL (ticket, commit, admin; main admins and fork owners hold admin), or a group's ACL where a group
 * is a Shoal organization the user belongs to. Also whether the user is blocked from the repository.
 * Read from the database on each decision (no per-instance cache), so every gateway instance applies
 * a change as soon as one of them has consumed its event. The gateway's {@code AccessPolicy} asks it
 * as its {@link RepoGrants}: Pagure's ticket reads, commit writes, admin administers.
 */
@ApplicationScoped
public class ProjectAccess implements RepoGrants {

    private final Pool pool;

    public ProjectAccess(Pool pool) {
        this.pool = pool;
    }

    /** The native level of a Pagure ACL level; null for none Shoal knows. */
    static RepoGrant.Level level(String pagureLevel) {
        return switch (pagureLevel) {
            case "admin" -> RepoGrant.Level.ADMIN;
            case "commit" -> RepoGrant.Level.WRITE;
            case "ticket" -> RepoGrant.Level.READ;
            default -> null;
        };
    }

    @Override
    public Uni<RepoGrant> grant(long repoId, String login, long userId) {
        return pool.preparedQuery("SELECT a.kind, a.level FROM repo_access a WHERE a.repo_id = $1 AND a.kind IN ('user', 'blocked') "
                        + "AND a.name = $2 UNION ALL SELECT a.kind, a.level FROM repo_access a JOIN orgs o ON lower(o.name) = a.name "
                        + "JOIN memberships m ON m.org_id = o.id AND m.user_id = $3 WHERE a.repo_id = $1 AND a.kind = 'group'")
                .execute(Tuple.of(repoId, login.toLowerCase(Locale.ROOT), userId))
                .map(rows -> {
                    RepoGrant grant = RepoGrant.NONE;
                    for (var row : rows) {
                        grant = grant.and(row.getString("kind").equals("blocked") ? new RepoGrant(null, true)
                                : new RepoGrant(level(row.getString("level")), false));
                    }
                    return grant;
                });
    }

    /** Replaces the repository's list with the event's (inside the consumer's transaction). */
    public Uni<Void> replace(SqlClient tx, RepoAccessChanged access) {
        List<Tuple> rows = new ArrayList<>();
        add(rows, access.repoId(), "user", access.users());
        add(rows, access.repoId(), "group", access.groups());
        if (access.blocked() != null) {
            access.blocked().forEach(login -> rows.add(Tuple.of(access.repoId(), "blocked", login.toLowerCase(Locale.ROOT), "blocked")));
        }
        Uni<Void> cleared = tx.preparedQuery("DELETE FROM repo_access WHERE repo_id = $1").execute(Tuple.of(access.repoId())).replaceWithVoid();
        return rows.isEmpty() ? cleared : cleared.chain(() -> tx.preparedQuery(
                        "INSERT INTO repo_access (repo_id, kind, name, level) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .executeBatch(rows).replaceWithVoid());
    }

    public Uni<Void> forget(SqlClient tx, long repoId) {
        return tx.preparedQuery("DELETE FROM repo_access WHERE repo_id = $1").execute(Tuple.of(repoId)).replaceWithVoid();
    }

    private static void add(List<Tuple> rows, long repoId, String kind, Map<String, String> levels) {
        if (levels == null) {
            return;
        }
        levels.forEach((name, pagureLevel) -> {
            if (level(pagureLevel) != null) {
                rows.add(Tuple.of(repoId, kind, name.toLowerCase(Locale.ROOT), pagureLevel));
            }
        });
    }
}
