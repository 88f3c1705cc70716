package dev.shoal.repo.storage.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** SQL for {@code storage_repository}: which repository an issuer's storage id names. */
@ApplicationScoped
public class StorageRepoRepository {

    public Uni<Void> insert(SqlClient db, long repoId, String issuer, String storageId) {
        return db.preparedQuery("INSERT INTO storage_repository (repo_id, issuer, storage_id) VALUES ($1, $2, $3)")
                .execute(Tuple.of(repoId, issuer, storageId)).replaceWithVoid();
    }

    /** The repository id, or null. */
    public Uni<Long> find(SqlClient db, String issuer, String storageId) {
        return db.preparedQuery("SELECT repo_id FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, storageId))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getLong(0));
    }
}
