package dev.shoal.repo.git.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** SQL for the {@code ref_journal} table. */
@ApplicationScoped
public class RefJournalRepository {

    public record Pending(long id, Long pusherId, String pusherLogin) {
    }

    public Uni<Void> insertPending(SqlClient db, long repoId, String ref, String oldSha, String newSha, Long pusherId,
                                   String pusherLogin) {
        return db.preparedQuery("INSERT INTO ref_journal (repo_id, ref, old_sha, new_sha, pusher_id, pusher_login) "
                        + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.tuple(Arrays.asList(repoId, ref, oldSha, newSha, pusherId, pusherLogin)))
                .replaceWithVoid();
    }

    /** Serializes emission per repository across transactions and replicas. */
    public Uni<Void> lockRepo(SqlClient db, long repoId) {
        return db.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(repoId)).replaceWithVoid();
    }

    /** The newest emitted value of every ref the journal knows for this repository. */
    public Uni<Map<String, String>> lastEmitted(SqlClient db, long repoId) {
        return db.preparedQuery("SELECT DISTINCT ON (ref) ref, new_sha FROM ref_journal "
                        + "WHERE repo_id = $1 AND event_emitted ORDER BY ref, id DESC")
                .execute(Tuple.of(repoId))
                .map(rows -> {
                    Map<String, String> last = new HashMap<>();
                    for (Row row : rows) {
                        last.put(row.getString("ref"), row.getString("new_sha"));
                    }
                    return last;
                });
    }

    public Uni<Pending> findPending(SqlClient db, long repoId, String ref, String newSha) {
        return db.preparedQuery("SELECT id, pusher_id, pusher_login FROM ref_journal WHERE repo_id = $1 AND ref = $2 "
                        + "AND new_sha = $3 AND NOT event_emitted ORDER BY id DESC LIMIT 1")
                .execute(Tuple.of(repoId, ref, newSha))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    return new Pending(row.getLong("id"), row.getLong("pusher_id"), row.getString("pusher_login"));
                });
    }

    public Uni<Void> markEmitted(SqlClient db, long id, String oldSha) {
        return db.preparedQuery("UPDATE ref_journal SET event_emitted = true, old_sha = $2 WHERE id = $1")
                .execute(Tuple.of(id, oldSha)).replaceWithVoid();
    }

    public Uni<Void> insertEmitted(SqlClient db, long repoId, String ref, String oldSha, String newSha, Long pusherId,
                                   String pusherLogin) {
        return db.preparedQuery("INSERT INTO ref_journal (repo_id, ref, old_sha, new_sha, event_emitted, pusher_id, pusher_login) "
                        + "VALUES ($1, $2, $3, $4, true, $5, $6)")
                .execute(Tuple.tuple(Arrays.asList(repoId, ref, oldSha, newSha, pusherId, pusherLogin)))
                .replaceWithVoid();
    }

    /** Pending rows of updates that never happened (rejected or crashed pushes) once they are old. */
    public Uni<Void> deleteStalePending(SqlClient db, long repoId) {
        return db.preparedQuery("DELETE FROM ref_journal WHERE repo_id = $1 AND NOT event_emitted "
                        + "AND created_at < now() - interval '10 minutes'")
                .execute(Tuple.of(repoId)).replaceWithVoid();
    }
}
