package dev.shoal.repo.storage.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/** SQL for {@code storage_repository}: which repository an issuer's storage id names, and its upstream. */
@ApplicationScoped
public class StorageRepoRepository {

    /** A storage repository's row; the {@code base*} fields are null when it has no upstream. */
    public record Entry(long repoId, String issuer, String storageId, String baseProvider, String baseOwner, String baseName,
                        String baseDefaultBranch) {

        public boolean hasUpstream() {
            return baseProvider != null;
        }
    }

    public Uni<Void> insert(SqlClient db, long repoId, String issuer, String storageId) {
        return insert(db, new Entry(repoId, issuer, storageId, null, null, null, null));
    }

    public Uni<Void> insert(SqlClient db, Entry e) {
        return db.preparedQuery("INSERT INTO storage_repository (repo_id, issuer, storage_id, base_provider, base_owner, base_name, "
                        + "base_default_branch) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.from(new Object[] {e.repoId(), e.issuer(), e.storageId(), e.baseProvider(), e.baseOwner(), e.baseName(),
                        e.baseDefaultBranch()}))
                .replaceWithVoid();
    }

    /** The repository id, or null. */
    public Uni<Long> find(SqlClient db, String issuer, String storageId) {
        return entry(db, issuer, storageId).map(e -> e == null ? null : e.repoId());
    }

    /** The whole row, or null. */
    public Uni<Entry> entry(SqlClient db, String issuer, String storageId) {
        return db.preparedQuery("SELECT repo_id, issuer, storage_id, base_provider, base_owner, base_name, base_default_branch "
                        + "FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, storageId))
                .map(rows -> rows.rowCount() == 0 ? null : entry(rows.iterator().next()));
    }

    /** Records the outcome of a background upstream sync (error null on success). */
    public Uni<Void> syncDone(SqlClient db, long repoId, OffsetDateTime at, String error) {
        return db.preparedQuery("UPDATE storage_repository SET upstream_synced_at = $2, upstream_error = $3 WHERE repo_id = $1")
                .execute(Tuple.of(repoId, at, error)).replaceWithVoid();
    }

    private static Entry entry(Row r) {
        return new Entry(r.getLong("repo_id"), r.getString("issuer"), r.getString("storage_id"), r.getString("base_provider"),
                r.getString("base_owner"), r.getString("base_name"), r.getString("base_default_branch"));
    }
}
