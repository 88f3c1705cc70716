package dev.shoal.repo.release.repository;

import dev.shoal.repo.release.Release;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** SQL for {@code release} and {@code release_asset}. */
@ApplicationScoped
public class ReleaseRepository {

    private static final String COLUMNS = "id, tag_name, name, body, draft, prerelease, author_id, author_login, created_at, published_at";

    /** A stored asset row; the download URL is built by the service. */
    public record AssetRow(long id, long releaseId, long repoId, String name, long size, String contentType,
                           OffsetDateTime createdAt) {
    }

    public Uni<Release> insert(SqlClient db, long repoId, String tag, String name, String body, boolean draft,
                               boolean prerelease, Long authorId, String authorLogin) {
        return db.preparedQuery("INSERT INTO release (repo_id, tag_name, name, body, draft, prerelease, author_id, author_login, "
                        + "published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $5 THEN NULL ELSE now() END) RETURNING " + COLUMNS)
                .execute(Tuple.tuple(Arrays.asList(repoId, tag, name, body, draft, prerelease, authorId, authorLogin)))
                .map(ReleaseRepository::first);
    }

    public Uni<Release> find(SqlClient db, long repoId, long id) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM release WHERE repo_id = $1 AND id = $2")
                .execute(Tuple.of(repoId, id)).map(ReleaseRepository::first);
    }

    public Uni<Release> findByTag(SqlClient db, long repoId, String tag) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM release WHERE repo_id = $1 AND tag_name = $2")
                .execute(Tuple.of(repoId, tag)).map(ReleaseRepository::first);
    }

    public Uni<List<Release>> list(SqlClient db, long repoId, boolean drafts, long offset, int limit) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM release WHERE repo_id = $1 AND (NOT draft OR $2) "
                        + "ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4")
                .execute(Tuple.of(repoId, drafts, limit, offset)).map(ReleaseRepository::all);
    }

    public Uni<Long> count(SqlClient db, long repoId, boolean drafts) {
        return db.preparedQuery("SELECT count(*) FROM release WHERE repo_id = $1 AND (NOT draft OR $2)")
                .execute(Tuple.of(repoId, drafts)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Release> update(SqlClient db, long id, String tag, String name, String body, boolean draft, boolean prerelease) {
        return db.preparedQuery("UPDATE release SET tag_name = $2, name = $3, body = $4, draft = $5, prerelease = $6, "
                        + "published_at = CASE WHEN $5 THEN NULL ELSE coalesce(published_at, now()) END "
                        + "WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.tuple(Arrays.asList(id, tag, name, body, draft, prerelease))).map(ReleaseRepository::first);
    }

    public Uni<Void> delete(SqlClient db, long id) {
        return db.preparedQuery("DELETE FROM release WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<AssetRow> insertAsset(SqlClient db, long releaseId, long repoId, String name, long size, String contentType) {
        return db.preparedQuery("INSERT INTO release_asset (release_id, repo_id, name, size, content_type) "
                        + "VALUES ($1, $2, $3, $4, $5) RETURNING id, release_id, repo_id, name, size, content_type, created_at")
                .execute(Tuple.of(releaseId, repoId, name, size, contentType))
                .map(rows -> asset(rows.iterator().next()));
    }

    public Uni<List<AssetRow>> assets(SqlClient db, List<Long> releaseIds) {
        return db.preparedQuery("SELECT id, release_id, repo_id, name, size, content_type, created_at FROM release_asset "
                        + "WHERE release_id = ANY($1) ORDER BY id")
                .execute(Tuple.of(releaseIds.toArray(Long[]::new)))
                .map(rows -> {
                    List<AssetRow> list = new ArrayList<>();
                    rows.forEach(r -> list.add(asset(r)));
                    return list;
                });
    }

    public Uni<AssetRow> findAsset(SqlClient db, long releaseId, long assetId) {
        return db.preparedQuery("SELECT id, release_id, repo_id, name, size, content_type, created_at FROM release_asset "
                        + "WHERE release_id = $1 AND id = $2")
                .execute(Tuple.of(releaseId, assetId))
                .map(rows -> rows.iterator().hasNext() ? asset(rows.iterator().next()) : null);
    }

    public Uni<Void> deleteAsset(SqlClient db, long assetId) {
        return db.preparedQuery("DELETE FROM release_asset WHERE id = $1").execute(Tuple.of(assetId)).replaceWithVoid();
    }

    private static AssetRow asset(Row r) {
        return new AssetRow(r.getLong("id"), r.getLong("release_id"), r.getLong("repo_id"), r.getString("name"),
                r.getLong("size"), r.getString("content_type"), r.getOffsetDateTime("created_at"));
    }

    private static Release first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? map(it.next()) : null;
    }

    private static List<Release> all(RowSet<Row> rows) {
        List<Release> list = new ArrayList<>();
        rows.forEach(r -> list.add(map(r)));
        return list;
    }

    private static Release map(Row r) {
        OffsetDateTime published = r.getOffsetDateTime("published_at");
        return new Release(r.getLong("id"), r.getString("tag_name"), r.getString("name"), r.getString("body"),
                r.getBoolean("draft"), r.getBoolean("prerelease"),
                new Release.Author(r.getLong("author_id"), r.getString("author_login")),
                r.getOffsetDateTime("created_at").toInstant(), published == null ? null : published.toInstant(), List.of());
    }
}
