package dev.shoal.repo.release.service;

import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.PayloadTooLargeException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.schema.ReleasePublished;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.repo.config.RepoConfig;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.Workers;
import dev.shoal.repo.git.service.RefMover;
import dev.shoal.repo.release.CreateReleaseRequest;
import dev.shoal.repo.release.Release;
import dev.shoal.repo.release.UpdateReleaseRequest;
import dev.shoal.repo.release.repository.ReleaseRepository;
import dev.shoal.repo.release.repository.ReleaseRepository.AssetRow;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.jboss.logging.Logger;

/** Releases and their assets. A release's tag is created at the default branch head when missing. */
@ApplicationScoped
public class ReleaseService {

    private static final Logger LOG = Logger.getLogger(ReleaseService.class);

    private final Pool pool;
    private final ReleaseRepository releases;
    private final RepoService repos;
    private final RefMover mover;
    private final GitStore store;
    private final Outbox outbox;
    private final PublicUrl publicUrl;
    private final RepoConfig config;

    public ReleaseService(Pool pool, ReleaseRepository releases, RepoService repos, RefMover mover, GitStore store,
                          Outbox outbox, RepoConfig config, PublicUrl publicUrl) {
        this.pool = pool;
        this.releases = releases;
        this.repos = repos;
        this.mover = mover;
        this.store = store;
        this.outbox = outbox;
        this.publicUrl = publicUrl;
        this.config = config;
    }

    /** A downloadable asset: where its bytes are and how to name them. */
    public record AssetFile(Path path, String name, String contentType, long size) {
    }

    public Uni<PageResponse<Release>> list(Caller caller, String org, String name, PageRequest page) {
        boolean drafts = caller.isMember();
        return repos.visible(caller, org, name).chain(repo -> releases.list(pool, repo.id(), drafts, page.offset(), page.perPage())
                .chain(items -> withAssets(repo, items))
                .chain(items -> releases.count(pool, repo.id(), drafts).map(total -> PageResponse.of(items, page, total))));
    }

    public Uni<Release> get(Caller caller, String org, String name, long id) {
        return repos.visible(caller, org, name).chain(repo -> visibleRelease(caller, repo, releases.find(pool, repo.id(), id))
                .chain(release -> withAssets(repo, List.of(release))).map(list -> list.get(0)));
    }

    public Uni<Release> byTag(Caller caller, String org, String name, String tag) {
        return repos.visible(caller, org, name).chain(repo -> visibleRelease(caller, repo, releases.findByTag(pool, repo.id(), tag))
                .chain(release -> withAssets(repo, List.of(release))).map(list -> list.get(0)));
    }

    public Uni<Release> create(Caller caller, String org, String name, CreateReleaseRequest request) {
        String tag = requireTagName(request.tagName());
        boolean draft = Boolean.TRUE.equals(request.draft());
        return repos.visible(caller, org, name).chain(repo -> releases.findByTag(pool, repo.id(), tag)
                .chain(existing -> {
                    if (existing != null) {
                        throw duplicate(tag);
                    }
                    return ensureTag(repo, caller, tag);
                })
                .chain(() -> pool.withTransaction(tx -> releases.insert(tx, repo.id(), tag,
                                request.name() == null ? tag : request.name(), request.body() == null ? "" : request.body(),
                                draft, Boolean.TRUE.equals(request.prerelease()), caller.userId(), caller.login())
                        .call(release -> release.draft() ? Uni.createFrom().voidItem() : published(tx, caller, repo, release))))
                .onFailure(ReleaseService::isUniqueViolation).transform(e -> duplicate(tag)));
    }

    public Uni<Release> update(Caller caller, String org, String name, long id, UpdateReleaseRequest request) {
        String newTag = request.tagName() == null ? null : requireTagName(request.tagName());
        return repos.visible(caller, org, name).chain(repo -> releases.find(pool, repo.id(), id)
                .chain(current -> {
                    if (current == null) {
                        throw new NotFoundException("Release not found");
                    }
                    Uni<Void> tagReady = newTag == null || newTag.equals(current.tagName()) ? Uni.createFrom().voidItem()
                            : ensureTag(repo, caller, newTag);
                    return tagReady.chain(() -> pool.withTransaction(tx -> releases.update(tx, id,
                                    newTag == null ? current.tagName() : newTag,
                                    request.name() == null ? current.name() : request.name(),
                                    request.body() == null ? current.body() : request.body(),
                                    request.draft() == null ? current.draft() : request.draft(),
                                    request.prerelease() == null ? current.prerelease() : request.prerelease())
                            .call(updated -> current.draft() && !updated.draft()
                                    ? published(tx, caller, repo, updated) : Uni.createFrom().voidItem())));
                })
                .chain(release -> withAssets(repo, List.of(release))).map(list -> list.get(0))
                .onFailure(ReleaseService::isUniqueViolation).transform(e -> duplicate(newTag)));
    }

    public Uni<Void> delete(Caller caller, String org, String name, long id) {
        return repos.visible(caller, org, name).chain(repo -> releases.find(pool, repo.id(), id)
                .chain(release -> {
                    if (release == null) {
                        throw new NotFoundException("Release not found");
                    }
                    return releases.assets(pool, List.of(id))
                            .chain(assets -> pool.withTransaction(tx -> releases.delete(tx, id))
                                    .chain(() -> Workers.run(() -> {
                                        assets.forEach(a -> deleteQuietly(assetPath(a.repoId(), a.id())));
                                        return null;
                                    })));
                })).replaceWithVoid();
    }

    public Uni<List<Release.Asset>> assets(Caller caller, String org, String name, long releaseId) {
        return get(caller, org, name, releaseId).map(Release::assets);
    }

    /** Stores an uploaded file (already streamed to a temporary file on the same disk). */
    public Uni<Release.Asset> upload(Caller caller, String org, String name, long releaseId, Path uploaded,
                                     String fileName, String contentType, long size) {
        if (size > config.maxAssetSize()) {
            deleteQuietly(uploaded);
            throw tooLarge();
        }
        String assetName = sanitize(fileName);
        String type = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        return repos.visible(caller, org, name).chain(repo -> releases.find(pool, repo.id(), releaseId)
                        .chain(release -> {
                            if (release == null) {
                                throw new NotFoundException("Release not found");
                            }
                            return pool.withTransaction(tx -> releases.insertAsset(tx, releaseId, repo.id(), assetName, size, type)
                                    .call(row -> Workers.run(() -> {
                                        move(uploaded, assetPath(repo.id(), row.id()));
                                        return null;
                                    })));
                        })
                        .map(row -> asset(repo, row)))
                .onFailure().invoke(() -> deleteQuietly(uploaded));
    }

    public Uni<AssetFile> download(Caller caller, String org, String name, long releaseId, long assetId) {
        return repos.visible(caller, org, name).chain(repo -> visibleRelease(caller, repo, releases.find(pool, repo.id(), releaseId))
                .chain(release -> releases.findAsset(pool, releaseId, assetId))
                .map(row -> {
                    if (row == null) {
                        throw new NotFoundException("Asset not found");
                    }
                    Path path = assetPath(row.repoId(), row.id());
                    if (!Files.exists(path)) {
                        throw new NotFoundException("the asset's file is missing");
                    }
                    return new AssetFile(path, row.name(), row.contentType(), row.size());
                }));
    }

    public Uni<Void> deleteAsset(Caller caller, String org, String name, long releaseId, long assetId) {
        return repos.visible(caller, org, name).chain(repo -> releases.find(pool, repo.id(), releaseId)
                .chain(release -> {
                    if (release == null) {
                        throw new NotFoundException("Release not found");
                    }
                    return releases.findAsset(pool, releaseId, assetId);
                })
                .chain(row -> {
                    if (row == null) {
                        throw new NotFoundException("Asset not found");
                    }
                    return pool.withTransaction(tx -> releases.deleteAsset(tx, row.id()))
                            .chain(() -> Workers.run(() -> {
                                deleteQuietly(assetPath(row.repoId(), row.id()));
                                return null;
                            }));
                })).replaceWithVoid();
    }

    public long maxAssetSize() {
        return config.maxAssetSize();
    }

    public static PayloadTooLargeException tooLarge(long max) {
        return new PayloadTooLargeException("release assets may be at most " + max + " bytes");
    }

    private PayloadTooLargeException tooLarge() {
        return tooLarge(config.maxAssetSize());
    }

    private Uni<Void> ensureTag(Repo repo, Caller caller, String tag) {
        return Workers.run(() -> mover.locked(repo.id(), git -> {
            try {
                String refName = Constants.R_TAGS + tag;
                if (git.exactRef(refName) != null) {
                    return null;
                }
                Ref head = git.exactRef(repo.defaultRef());
                if (head == null || head.getObjectId() == null) {
                    throw new ValidationException("the repository has no commits yet: push to '" + repo.defaultBranch()
                            + "' before creating a release");
                }
                mover.move(repo, git, refName, null, head.getObjectId(), new RepoPushed.Pusher(caller.userId(), caller.login()));
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })).replaceWithVoid();
    }

    private Uni<Void> published(SqlClient tx, Caller caller, Repo repo, Release release) {
        return outbox.append(tx, EventTypes.RELEASE_PUBLISHED, RepoService.actor(caller), repo.ref(),
                new ReleasePublished(release.id(), release.tagName(), release.name(), release.body(), release.prerelease(),
                        release.publishedAt()), repo.id()).replaceWithVoid();
    }

    private Uni<Release> visibleRelease(Caller caller, Repo repo, Uni<Release> lookup) {
        return lookup.map(release -> {
            if (release == null || (release.draft() && !caller.isMember())) {
                throw new NotFoundException("Release not found");
            }
            return release;
        });
    }

    private Uni<List<Release>> withAssets(Repo repo, List<Release> items) {
        if (items.isEmpty()) {
            return Uni.createFrom().item(items);
        }
        return releases.assets(pool, items.stream().map(Release::id).toList()).map(rows -> {
            Map<Long, List<Release.Asset>> byRelease = rows.stream().collect(Collectors.groupingBy(AssetRow::releaseId,
                    Collectors.mapping(row -> asset(repo, row), Collectors.toList())));
            return items.stream().map(r -> r.withAssets(byRelease.getOrDefault(r.id(), List.of()))).toList();
        });
    }

    private Release.Asset asset(Repo repo, AssetRow row) {
        return new Release.Asset(row.id(), row.name(), row.size(), row.contentType(),
                publicUrl.resolve("/api/v1/repos/" + repo.org() + "/" + repo.name() + "/releases/" + row.releaseId() + "/assets/"
                        + row.id()),
                row.createdAt().toInstant());
    }

    private Path assetPath(long repoId, long assetId) {
        return store.root().resolve("assets").resolve(String.valueOf(repoId)).resolve(String.valueOf(assetId));
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException atomicNotPossible) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the asset", e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", path, e.getMessage());
        }
    }

    /** The file name a client sent, without any directory part, safe for Content-Disposition. */
    static String sanitize(String fileName) {
        String base = fileName == null ? "" : fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}\"]", "").trim();
        if (base.isEmpty() || base.equals(".") || base.equals("..")) {
            return "attachment";
        }
        return base.length() > 255 ? base.substring(0, 255) : base;
    }

    private static String requireTagName(String tag) {
        if (tag == null || tag.isBlank()) {
            throw new ValidationException("tag_name is required: the tag to release, e.g. v1.0.0");
        }
        if (tag == null || tag.isBlank() || tag.length() > 200 || !Repository.isValidRefName(Constants.R_TAGS + tag)) {
            throw new ValidationException("tag_name must be a valid git tag name such as v1.0.0 (no spaces, '..', '~', "
                    + "'^', ':', '?', '*', '[' or '\\\\'), at most 200 characters");
        }
        return tag;
    }

    private static ConflictException duplicate(String tag) {
        return new ConflictException("a release for tag '" + tag + "' already exists");
    }

    private static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
