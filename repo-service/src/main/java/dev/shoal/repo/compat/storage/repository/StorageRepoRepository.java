package dev.shoal.repo.compat.storage.repository;

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
                        String baseDefaultBranch, String baseHost) {

        public Entry(long repoId, String issuer, String storageId, String baseProvider, String baseOwner, String baseName,
                     String baseDefaultBranch) {
            this(repoId, issuer, storageId, baseProvider, baseOwner, baseName, baseDefaultBranch, null);
        }

        public boolean hasUpstream() {
            return baseProvider != null;
        }
    }

    public Uni<Void> insert(SqlClient db, long repoId, String issuer, String storageId) {
        return insert(db, new Entry(repoId, issuer, storageId, null, null, null, null));
    }

    public Uni<Void> insert(SqlClient db, Entry e) {
        return db.preparedQuery("INSERT INTO storage_repository (repo_id, issuer, storage_id, base_provider, base_owner, base_name, "
                        + "base_default_branch, base_host) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(new Object[] {e.repoId(), e.issuer(), e.storageId(), e.baseProvider(), e.baseOwner(), e.baseName(),
                        e.baseDefaultBranch(), e.baseHost()}))
                .replaceWithVoid();
    }

    /** The repository id, or null. */
    public Uni<Long> find(SqlClient db, String issuer, String storageId) {
        return entry(db, issuer, storageId).map(e -> e == null ? null : e.repoId());
    }

    /** The whole row, or null. */
    public Uni<Entry> entry(SqlClient db, String issuer, String storageId) {
        return db.preparedQuery("SELECT repo_id, issuer, storage_id, base_provider, base_owner, base_name, base_default_branch, base_host "
                        + "FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, storageId))
                .map(rows -> rows.rowCount() == 0 ? null : entry(rows.iterator().next()));
    }

    /** Records the outcome of a background upstream sync (error null on success). */
    public Uni<Void> syncDone(SqlClient db, long repoId, OffsetDateTime at, String error) {
        return db.preparedQuery("UPDATE storage_repository SET upstream_synced_at = $2, upstream_error = $3 WHERE repo_id = $1")
                .execute(Tuple.of(repoId, at, error)).replaceWithVoid();
    }

    /** An entry of the issuer's listing: the row plus the repository's default branch and creation time. */
    public record Listed(Entry entry, String defaultBranch, java.time.Instant createdAt) {
    }

    /**
     * The issuer's repositories in creation order after {@code afterRepoId}, ids containing
     * {@code q} (case-insensitive, literal) when given; {@code limit} rows at most.
     */
    public Uni<java.util.List<Listed>> list(SqlClient db, String issuer, long afterRepoId, String q, int limit) {
        String like = q == null ? null : "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return db.preparedQuery("SELECT s.repo_id, s.issuer, s.storage_id, s.base_provider, s.base_owner, s.base_name, "
                        + "s.base_default_branch, s.base_host, r.default_branch, r.created_at FROM storage_repository s "
                        + "JOIN repository r ON r.id = s.repo_id WHERE s.issuer = $1 AND s.repo_id > $2 "
                        + "AND ($3::text IS NULL OR s.storage_id ILIKE $3) ORDER BY s.repo_id LIMIT $4")
                .execute(Tuple.of(issuer, afterRepoId, like, limit))
                .map(rows -> {
                    java.util.List<Listed> out = new java.util.ArrayList<>();
                    rows.forEach(r -> out.add(new Listed(entry(r), r.getString("default_branch"),
                            r.getOffsetDateTime("created_at").toInstant())));
                    return out;
                });
    }

    private static Entry entry(Row r) {
        return new Entry(r.getLong("repo_id"), r.getString("issuer"), r.getString("storage_id"), r.getString("base_provider"),
                r.getString("base_owner"), r.getString("base_name"), r.getString("base_default_branch"),
                r.getString("base_host"));
    }
}
