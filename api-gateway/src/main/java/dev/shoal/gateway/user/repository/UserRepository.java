package dev.shoal.gateway.user.repository;

import dev.shoal.gateway.user.User;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class UserRepository {

    private static final String COLUMNS = "id, username, email, display_name, is_admin, avatar_url, created_at, active";

    public Uni<Optional<User>> byId(SqlClient db, long id) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(User.from(rows.iterator().next())));
    }

    public Uni<Optional<User>> byUsername(SqlClient db, String username) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE lower(username) = lower($1)")
                .execute(Tuple.of(username))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(User.from(rows.iterator().next())));
    }

    public Uni<Long> count(SqlClient db) {
        return db.query("SELECT count(*) FROM users").execute().map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<List<User>> page(SqlClient db, long offset, int limit) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM users ORDER BY id LIMIT $1 OFFSET $2")
                .execute(Tuple.of(limit, offset))
                .map(rows -> {
                    List<User> users = new ArrayList<>();
                    rows.forEach(row -> users.add(User.from(row)));
                    return users;
                });
    }

    /** Inserts, or returns empty when the username is taken. */
    public Uni<Optional<User>> insert(SqlClient db, String username, String email, String displayName, boolean admin) {
        return db.preparedQuery("INSERT INTO users (username, email, display_name, is_admin) VALUES ($1, $2, $3, $4) "
                        + "ON CONFLICT DO NOTHING RETURNING " + COLUMNS)
                .execute(Tuple.of(username, email, displayName, admin))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(User.from(rows.iterator().next())));
    }

    public Uni<User> update(SqlClient db, long id, String email, String displayName, boolean admin, boolean active) {
        return db.preparedQuery("UPDATE users SET email = $2, display_name = $3, is_admin = $4, active = $5, updated_at = now() "
                        + "WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(id, email, displayName, admin, active))
                .map(rows -> User.from(rows.iterator().next()));
    }
}
