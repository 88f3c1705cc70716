package dev.shoal.pipeline.flag.repository;

import dev.shoal.pipeline.flag.CommitFlag;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class FlagRepository {

    public Uni<List<CommitFlag>> list(SqlClient client, long repoId, String sha) {
        return client.preparedQuery("SELECT * FROM commit_flag WHERE repo_id = $1 AND commit_sha = $2 ORDER BY created_at, id")
                .execute(Tuple.of(repoId, sha))
                .map(rows -> {
                    List<CommitFlag> flags = new ArrayList<>();
                    rows.forEach(row -> flags.add(map(row)));
                    return flags;
                });
    }

    /** Inserts, or updates the flag with the same uid on this commit; {@code xmax = 0} tells an insert from an update. */
    public Uni<CommitFlag.Saved> save(SqlClient tx, long repoId, String sha, String uid, CommitFlag.NewFlag flag) {
        Tuple args = Tuple.tuple().addLong(repoId).addString(sha).addString(uid).addString(flag.username())
                .addString(flag.comment()).addString(flag.url()).addString(flag.status()).addInteger(flag.percent())
                .addLong(flag.userId()).addString(flag.userLogin());
        return tx.preparedQuery("INSERT INTO commit_flag (repo_id, commit_sha, uid, username, comment, url, status, percent, "
                        + "user_id, user_login) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                        + "ON CONFLICT (repo_id, commit_sha, uid) DO UPDATE SET username = EXCLUDED.username, "
                        + "comment = EXCLUDED.comment, url = EXCLUDED.url, status = EXCLUDED.status, percent = EXCLUDED.percent, "
                        + "user_id = EXCLUDED.user_id, user_login = EXCLUDED.user_login, updated_at = now() "
                        + "RETURNING *, (xmax = 0) AS inserted")
                .execute(args)
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new CommitFlag.Saved(map(row), row.getBoolean("inserted"));
                });
    }

    static CommitFlag map(Row row) {
        OffsetDateTime created = row.getOffsetDateTime("created_at");
        OffsetDateTime updated = row.getOffsetDateTime("updated_at");
        return new CommitFlag(row.getString("uid"), row.getString("commit_sha"), row.getString("username"),
                row.getString("comment"), row.getString("url"), row.getString("status"), row.getInteger("percent"),
                row.getLong("user_id"), row.getString("user_login"), created.toInstant(), updated.toInstant());
    }
}
