package dev.shoal.gateway.session;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The bcrypt hashes of users' passwords (table user_passwords). */
@ApplicationScoped
public class PasswordRepository {

    /** The user's id, active flag, site-admin flag and hash (empty hash: no password set), for a sign-in. */
    public record Account(long userId, String username, boolean active, boolean admin, String hash) {
    }

    public Uni<Optional<Account>> account(SqlClient db, String username) {
        return db.preparedQuery("SELECT u.id, u.username, u.active, u.is_admin, p.hash FROM users u "
                        + "LEFT JOIN user_passwords p ON p.user_id = u.id WHERE lower(u.username) = lower($1)")
                .execute(Tuple.of(username))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()).map(row ->
                        new Account(row.getLong("id"), row.getString("username"), row.getBoolean("active"),
                                row.getBoolean("is_admin"), row.getString("hash"))));
    }

    public Uni<Optional<String>> hash(SqlClient db, long userId) {
        return db.preparedQuery("SELECT hash FROM user_passwords WHERE user_id = $1").execute(Tuple.of(userId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("hash")));
    }

    public Uni<Void> set(SqlClient db, long userId, String hash) {
        return db.preparedQuery("INSERT INTO user_passwords (user_id, hash) VALUES ($1, $2) "
                        + "ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = now()")
                .execute(Tuple.of(userId, hash)).replaceWithVoid();
    }
}
