package dev.shoal.repo.compat.storage.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/** SQL for {@code storage_git_credential}: sealed upstream credentials, one per storage repository. */
@ApplicationScoped
public class StorageCredentialRepository {

    /** A row as stored: the password only as nonce + ciphertext. */
    public record Row(String id, long repoId, String issuer, String username, byte[] nonce, byte[] ciphertext,
                      OffsetDateTime createdAt) {
    }

    /** Inserts; false when the repository already has a credential. */
    public Uni<Boolean> insert(SqlClient db, Row r) {
        return db.preparedQuery("INSERT INTO storage_git_credential (id, repo_id, issuer, username, nonce, ciphertext, created_at, "
                        + "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (repo_id) DO NOTHING")
                .execute(Tuple.from(new Object[] {r.id(), r.repoId(), r.issuer(), r.username(),
                        io.vertx.core.buffer.Buffer.buffer(r.nonce()), io.vertx.core.buffer.Buffer.buffer(r.ciphertext()),
                        r.createdAt()}))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Replaces the sealed password (and the username when given) of the issuer's credential; null when unknown. */
    public Uni<OffsetDateTime> update(SqlClient db, String id, String issuer, String username, byte[] nonce, byte[] ciphertext,
                                      OffsetDateTime now) {
        return db.preparedQuery("UPDATE storage_git_credential SET username = COALESCE($3, username), nonce = $4, ciphertext = $5, "
                        + "updated_at = $6 WHERE id = $1 AND issuer = $2 RETURNING created_at")
                .execute(Tuple.from(new Object[] {id, issuer, username, io.vertx.core.buffer.Buffer.buffer(nonce),
                        io.vertx.core.buffer.Buffer.buffer(ciphertext), now}))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getOffsetDateTime(0));
    }

    /** Deletes the issuer's credential; false when unknown. */
    public Uni<Boolean> delete(SqlClient db, String id, String issuer) {
        return db.preparedQuery("DELETE FROM storage_git_credential WHERE id = $1 AND issuer = $2")
                .execute(Tuple.of(id, issuer)).map(rows -> rows.rowCount() == 1);
    }

    /** The repository's credential, or null. */
    public Uni<Row> forRepo(SqlClient db, long repoId) {
        return db.preparedQuery("SELECT id, repo_id, issuer, username, nonce, ciphertext, created_at FROM storage_git_credential "
                        + "WHERE repo_id = $1")
                .execute(Tuple.of(repoId))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    io.vertx.mutiny.sqlclient.Row r = rows.iterator().next();
                    return new Row(r.getString("id"), r.getLong("repo_id"), r.getString("issuer"), r.getString("username"),
                            r.getBuffer("nonce").getBytes(), r.getBuffer("ciphertext").getBytes(), r.getOffsetDateTime("created_at"));
                });
    }
}
