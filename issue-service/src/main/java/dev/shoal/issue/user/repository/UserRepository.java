package dev.shoal.issue.user.repository;

import dev.shoal.issue.support.Sql;
import dev.shoal.issue.user.UserProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The local copy of user profiles, fed by identity events and directory look-ups. */
@ApplicationScoped
public class UserRepository {

    public Uni<Void> upsert(SqlClient client, UserProfile user, boolean active) {
        return client.preparedQuery("INSERT INTO users (id, username, email, display_name, is_admin, avatar_url, created_at, active) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, "
                        + "email = EXCLUDED.email, display_name = EXCLUDED.display_name, is_admin = EXCLUDED.is_admin, "
                        + "avatar_url = EXCLUDED.avatar_url, created_at = EXCLUDED.created_at, active = EXCLUDED.active")
                .execute(Sql.args(user.id(), user.username(), user.email(), user.displayName(),
                        Boolean.TRUE.equals(user.isAdmin()), user.avatarUrl(), user.createdAt(), active))
                .replaceWithVoid();
    }

    /** Profiles of the given ids in one query (no per-row look-ups when rendering a page). */
    public Uni<Map<Long, UserProfile>> byIds(SqlClient client, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT * FROM users WHERE id = ANY($1)")
                .execute(Sql.args((Object) Sql.ids(ids)))
                .map(UserRepository::profiles);
    }

    private static Map<Long, UserProfile> profiles(RowSet<Row> rows) {
        Map<Long, UserProfile> result = new HashMap<>();
        for (Row row : rows) {
            UserProfile profile = map(row);
            result.put(profile.id(), profile);
        }
        return result;
    }

    /**
     * Profiles of the given ids and of every assignee of the given issues, in one query, so a page's
     * profiles need not wait for its assignees to be read first.
     */
    public Uni<Map<Long, UserProfile>> byIdsAndAssigneesOf(SqlClient client, Collection<Long> ids, Collection<Long> issueIds) {
        if (issueIds.isEmpty()) {
            return byIds(client, ids);
        }
        return client.preparedQuery("SELECT * FROM users WHERE id = ANY($1) "
                        + "OR id IN (SELECT user_id FROM issue_assignee WHERE issue_id = ANY($2))")
                .execute(Sql.args((Object) Sql.ids(ids), (Object) Sql.ids(issueIds)))
                .map(UserRepository::profiles);
    }

    static UserProfile map(Row row) {
        return new UserProfile(row.getLong("id"), row.getString("username"), row.getString("email"),
                row.getString("display_name"), row.getBoolean("is_admin"), row.getString("avatar_url"),
                Sql.instant(row, "created_at"));
    }
}
