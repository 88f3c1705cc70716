package dev.shoal.gateway.compat.ci.repository;

import dev.shoal.gateway.directory.RepoEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the CI user endpoints read beyond the user and token services: update and last-use times, readable repositories. */
@ApplicationScoped
public class CiRepository {

    /** When a user was last changed, and last seen (the latest use of any of their tokens). */
    public record Times(Instant updatedAt, Instant lastLogin) {
    }

    public static final int MAX_REPOS = 5000;

    public Uni<Map<Long, Times>> times(SqlClient db, List<Long> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return db.preparedQuery("SELECT u.id, u.updated_at, (SELECT max(t.last_used_at) FROM api_tokens t WHERE t.user_id = u.id) "
                        + "AS last_login FROM users u WHERE u.id = ANY($1)")
                .execute(Tuple.of(userIds.toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, Times> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getLong("id"), new Times(instant(r.getOffsetDateTime("updated_at")),
                            instant(r.getOffsetDateTime("last_login")))));
                    return out;
                });
    }

    /**
     * The repositories a user works on: those of the organizations they belong to; a site
     * administrator's are all of them. Public repositories of other organizations are readable
     * but not "theirs", as on Drone and Woodpecker.
     */
    public Uni<List<RepoEntry>> repos(SqlClient db, long userId, boolean siteAdmin) {
        String sql = siteAdmin
                ? "SELECT id, org_id, org, name, is_private FROM repo_directory ORDER BY lower(org), lower(name) LIMIT $1"
                : "SELECT r.id, r.org_id, r.org, r.name, r.is_private FROM repo_directory r "
                        + "JOIN memberships m ON m.org_id = r.org_id AND m.user_id = $1 ORDER BY lower(r.org), lower(r.name) LIMIT $2";
        return db.preparedQuery(sql).execute(siteAdmin ? Tuple.of(MAX_REPOS + 1) : Tuple.of(userId, MAX_REPOS + 1)).map(rows -> {
            List<RepoEntry> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new RepoEntry(r.getLong("id"), r.getLong("org_id"), r.getString("org"), r.getString("name"),
                        r.getBoolean("is_private")));
            }
            return out;
        });
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
