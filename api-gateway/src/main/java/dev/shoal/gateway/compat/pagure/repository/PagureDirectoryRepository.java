package dev.shoal.gateway.compat.pagure.repository;

import dev.shoal.gateway.compat.pagure.PagureActivity;
import dev.shoal.gateway.compat.pagure.PagureActivityCount;
import dev.shoal.gateway.compat.pagure.PagureGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads behind Pagure's users and groups endpoints: active users and organizations by name prefix,
 * an organization's members and first owner, and a user's recorded activity (the audit log of every
 * successful change they made through the gateway).
 */
@ApplicationScoped
public class PagureDirectoryRepository {

    public Uni<List<String>> usernames(SqlClient db, String like) {
        return db.preparedQuery("SELECT username FROM users WHERE active AND ($1::text IS NULL OR lower(username) LIKE lower($1)) "
                + "ORDER BY lower(username)").execute(Tuple.of(like)).map(PagureDirectoryRepository::strings);
    }

    public Uni<List<PagureGroup>> groups(SqlClient db, String like, long offset, int limit) {
        return db.preparedQuery("SELECT id, name, description, created_at FROM orgs WHERE ($1::text IS NULL OR lower(name) LIKE lower($1)) "
                        + "ORDER BY lower(name) LIMIT $2 OFFSET $3").execute(Tuple.of(like, limit, offset))
                .map(rows -> {
                    List<PagureGroup> out = new ArrayList<>();
                    rows.forEach(r -> out.add(group(r)));
                    return out;
                });
    }

    public Uni<Long> countGroups(SqlClient db, String like) {
        return db.preparedQuery("SELECT count(*) FROM orgs WHERE ($1::text IS NULL OR lower(name) LIKE lower($1))")
                .execute(Tuple.of(like)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<PagureGroup> group(SqlClient db, String name) {
        return db.preparedQuery("SELECT id, name, description, created_at FROM orgs WHERE lower(name) = lower($1)")
                .execute(Tuple.of(name)).map(rows -> rows.rowCount() == 0 ? null : group(rows.iterator().next()));
    }

    public Uni<List<String>> members(SqlClient db, long orgId) {
        return db.preparedQuery("SELECT u.username FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND u.active "
                + "ORDER BY lower(u.username)").execute(Tuple.of(orgId)).map(PagureDirectoryRepository::strings);
    }

    /** The organization's longest-standing owner: Shoal records no creator, and the creator is its first owner. */
    public Uni<String> firstOwner(SqlClient db, long orgId) {
        return db.preparedQuery("SELECT u.username FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 "
                        + "AND m.role = 'owner' ORDER BY m.created_at, u.id LIMIT 1").execute(Tuple.of(orgId))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** Successful changes since {@code since}, counted per UTC day and distinct request (method, route, path), oldest first. */
    public Uni<List<PagureActivityCount>> activityByDay(SqlClient db, long userId, Instant since) {
        return db.preparedQuery("SELECT (created_at AT TIME ZONE 'UTC')::date AS day, method, route, path, count(*) FROM audit_log "
                        + "WHERE actor_id = $1 AND status < 400 AND created_at >= $2 GROUP BY day, method, route, path ORDER BY day")
                .execute(Tuple.of(userId, since.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<PagureActivityCount> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new PagureActivityCount(r.getLocalDate(0), r.getString(1), r.getString(2), r.getString(3), r.getLong(4))));
                    return out;
                });
    }

    /** The successful changes of one UTC day, in order. */
    public Uni<List<PagureActivity>> activityOn(SqlClient db, long userId, LocalDate day) {
        return db.preparedQuery("SELECT id, created_at, method, path, route FROM audit_log WHERE actor_id = $1 AND status < 400 "
                        + "AND created_at >= $2 AND created_at < $3 ORDER BY created_at, id LIMIT 1000")
                .execute(Tuple.of(userId, day.atStartOfDay().atOffset(ZoneOffset.UTC), day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<PagureActivity> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new PagureActivity(r.getLong("id"), r.getOffsetDateTime("created_at").toInstant(),
                            r.getString("method"), r.getString("path"), r.getString("route"))));
                    return out;
                });
    }

    private static PagureGroup group(Row r) {
        return new PagureGroup(r.getLong("id"), r.getString("name"), r.getString("description"), r.getOffsetDateTime("created_at").toInstant());
    }

    private static List<String> strings(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.getString(0)));
        return out;
    }
}
