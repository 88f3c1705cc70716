package dev.shoal.gateway.sshkey.repository;

import dev.shoal.gateway.sshkey.KeyOwner;
import dev.shoal.gateway.sshkey.SshKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code ssh_keys}: a user's keys ({@code user_id}) and deploy keys ({@code repo_id}). */
@ApplicationScoped
public class SshKeyRepository {

    private static final String COLUMNS = "id, user_id, repo_id, title, public_key, fingerprint, read_only, created_at, last_used_at";

    /** The column that names a key's owner. */
    private static String column(KeyOwner owner) {
        return switch (owner) {
            case USER -> "user_id";
            case REPO -> "repo_id";
        };
    }

    /** A key and, for a user's key, its user's state at the time of the lookup. */
    public record Holder(SshKey key, String username, boolean siteAdmin, boolean active) {
    }

    public Uni<SshKey> insert(SqlClient db, KeyOwner owner, long ownerId, String title, String publicKey, String fingerprint,
                              boolean readOnly) {
        return db.preparedQuery("INSERT INTO ssh_keys (" + column(owner) + ", title, public_key, fingerprint, read_only) "
                        + "VALUES ($1, $2, $3, $4, $5) RETURNING " + COLUMNS)
                .execute(Tuple.of(ownerId, title, publicKey, fingerprint, readOnly))
                .map(rows -> SshKey.from(rows.iterator().next()));
    }

    public Uni<Long> count(SqlClient db, KeyOwner owner, long ownerId) {
        return db.preparedQuery("SELECT count(*) FROM ssh_keys WHERE " + column(owner) + " = $1").execute(Tuple.of(ownerId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<List<SshKey>> page(SqlClient db, KeyOwner owner, long ownerId, long offset, int limit) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM ssh_keys WHERE " + column(owner) + " = $1 ORDER BY id LIMIT $2 OFFSET $3")
                .execute(Tuple.of(ownerId, limit, offset))
                .map(rows -> {
                    List<SshKey> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(SshKey.from(row)));
                    return keys;
                });
    }

    public Uni<Optional<SshKey>> find(SqlClient db, KeyOwner owner, long ownerId, long id) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM ssh_keys WHERE id = $1 AND " + column(owner) + " = $2")
                .execute(Tuple.of(id, ownerId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(SshKey.from(rows.iterator().next())));
    }

    public Uni<Boolean> delete(SqlClient db, KeyOwner owner, long ownerId, long id) {
        return db.preparedQuery("DELETE FROM ssh_keys WHERE id = $1 AND " + column(owner) + " = $2")
                .execute(Tuple.of(id, ownerId)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Boolean> fingerprintTaken(SqlClient db, String fingerprint) {
        return db.preparedQuery("SELECT 1 FROM ssh_keys WHERE fingerprint = $1").execute(Tuple.of(fingerprint))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The key with this fingerprint and, for a user's key, its user. */
    public Uni<Optional<Holder>> byFingerprint(SqlClient db, String fingerprint) {
        return db.preparedQuery("SELECT k.id, k.user_id, k.repo_id, k.title, k.public_key, k.fingerprint, k.read_only, "
                        + "k.created_at, k.last_used_at, u.username, u.is_admin, u.active "
                        + "FROM ssh_keys k LEFT JOIN users u ON u.id = k.user_id WHERE k.fingerprint = $1")
                .execute(Tuple.of(fingerprint))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(holder(rows.iterator().next())));
    }

    public Uni<Void> touch(SqlClient db, long id) {
        return db.preparedQuery("UPDATE ssh_keys SET last_used_at = now() WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    private static Holder holder(Row row) {
        SshKey key = SshKey.from(row);
        return new Holder(key, row.getString("username"), Boolean.TRUE.equals(row.getBoolean("is_admin")),
                key.isDeployKey() || Boolean.TRUE.equals(row.getBoolean("active")));
    }
}
