package dev.shoal.gateway.org.repository;

import dev.shoal.gateway.org.Member;
import dev.shoal.gateway.org.Org;
import dev.shoal.gateway.user.User;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class OrgRepository {

    public Uni<Optional<Org>> byName(SqlClient db, String name) {
        // An organization that shares its name with a Code Storage issuer (possible only in data from before
        // names were reserved across kinds) is not found by name: by name it would own the issuer's repositories.
        return db.preparedQuery("SELECT id, name, description, created_at FROM orgs o WHERE lower(name) = lower($1) "
                        + "AND NOT EXISTS (SELECT 1 FROM storage_issuers i WHERE lower(i.name) = lower(o.name))")
                .execute(Tuple.of(name))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(Org.from(rows.iterator().next())));
    }

    public Uni<Optional<Org>> byId(SqlClient db, long id) {
        return db.preparedQuery("SELECT id, name, description, created_at FROM orgs WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(Org.from(rows.iterator().next())));
    }

    /** Organizations, by id; those {@code userId} belongs to when it is not null. */
    public Uni<List<Org>> list(SqlClient db, Long userId, long offset, int limit) {
        return db.preparedQuery("SELECT o.id, o.name, o.description, o.created_at FROM orgs o WHERE $1::bigint IS NULL "
                        + "OR EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = o.id AND m.user_id = $1) "
                        + "ORDER BY o.id LIMIT $2 OFFSET $3")
                .execute(Tuple.of(userId, limit, offset))
                .map(rows -> {
                    List<Org> list = new ArrayList<>();
                    rows.forEach(r -> list.add(Org.from(r)));
                    return list;
                });
    }

    public Uni<Optional<Org>> insert(SqlClient db, String name, String description) {
        return db.preparedQuery("INSERT INTO orgs (name, description) VALUES ($1, $2) ON CONFLICT DO NOTHING "
                        + "RETURNING id, name, description, created_at")
                .execute(Tuple.of(name, description))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(Org.from(rows.iterator().next())));
    }

    public Uni<Optional<String>> role(SqlClient db, long orgId, long userId) {
        return db.preparedQuery("SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2")
                .execute(Tuple.of(orgId, userId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    public Uni<Void> upsertMember(SqlClient db, long orgId, long userId, String role) {
        return db.preparedQuery("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (org_id, user_id) DO UPDATE SET role = EXCLUDED.role")
                .execute(Tuple.of(orgId, userId, role)).replaceWithVoid();
    }

    public Uni<Boolean> removeMember(SqlClient db, long orgId, long userId) {
        return db.preparedQuery("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2")
                .execute(Tuple.of(orgId, userId)).map(rows -> rows.rowCount() > 0);
    }

    /** Locks the organization's owner rows, so two demotions cannot both leave it without an owner. */
    public Uni<Long> lockOwners(SqlClient db, long orgId) {
        return db.preparedQuery("SELECT user_id FROM memberships WHERE org_id = $1 AND role = 'owner' FOR UPDATE")
                .execute(Tuple.of(orgId)).map(rows -> (long) rows.rowCount());
    }

    public Uni<Long> countMembers(SqlClient db, long orgId) {
        return db.preparedQuery("SELECT count(*) FROM memberships WHERE org_id = $1").execute(Tuple.of(orgId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<List<Member>> members(SqlClient db, long orgId, long offset, int limit) {
        return db.preparedQuery("SELECT u.id, u.username, u.email, u.display_name, u.is_admin, u.avatar_url, u.created_at, "
                        + "u.active, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 "
                        + "ORDER BY m.role DESC, lower(u.username) LIMIT $2 OFFSET $3")
                .execute(Tuple.of(orgId, limit, offset))
                .map(rows -> {
                    List<Member> members = new ArrayList<>();
                    rows.forEach(row -> members.add(new Member(User.from(row), row.getString("role"))));
                    return members;
                });
    }
}
