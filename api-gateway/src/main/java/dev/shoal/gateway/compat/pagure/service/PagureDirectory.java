package dev.shoal.gateway.compat.pagure.service;

import dev.shoal.gateway.compat.pagure.PagureActivity;
import dev.shoal.gateway.compat.pagure.PagureActivityCount;
import dev.shoal.gateway.compat.pagure.PagureGroup;
import dev.shoal.gateway.compat.pagure.repository.PagureDirectoryRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What Pagure's users and groups endpoints read from the gateway's own tables: active users and
 * organizations by name prefix ({@code like}, a SQL pattern, or null for all), a group's members and
 * creator, and a user's recorded activity.
 */
@ApplicationScoped
public class PagureDirectory {

    private final Pool pool;
    private final PagureDirectoryRepository rows;

    public PagureDirectory(Pool pool, PagureDirectoryRepository rows) {
        this.pool = pool;
        this.rows = rows;
    }

    public Uni<List<String>> usernames(String like) {
        return rows.usernames(pool, like);
    }

    public Uni<List<PagureGroup>> groups(String like, long offset, int limit) {
        return rows.groups(pool, like, offset, limit);
    }

    public Uni<Long> countGroups(String like) {
        return rows.countGroups(pool, like);
    }

    /** The group of that name, or null. */
    public Uni<PagureGroup> group(String name) {
        return rows.group(pool, name);
    }

    public Uni<List<String>> members(long groupId) {
        return rows.members(pool, groupId);
    }

    /** The username of the group's longest-standing owner (its creator, as Pagure shows it), or null. */
    public Uni<String> creator(long groupId) {
        return rows.firstOwner(pool, groupId);
    }

    public Uni<List<PagureActivityCount>> activityByDay(long userId, Instant since) {
        return rows.activityByDay(pool, userId, since);
    }

    public Uni<List<PagureActivity>> activityOn(long userId, LocalDate day) {
        return rows.activityOn(pool, userId, day);
    }
}
