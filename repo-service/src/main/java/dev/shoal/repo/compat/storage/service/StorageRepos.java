package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.config.RepoConfig;
import dev.shoal.repo.repo.CreateRepoRequest;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.service.RepoNames;
import dev.shoal.repo.repo.service.RepoService;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.StorageIds;
import dev.shoal.repo.compat.storage.StorageViews;
import dev.shoal.repo.compat.storage.repository.StorageRepoRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Code Storage repositories are ordinary Shoal repositories (same git store, journal, events) in an
 * organization named after the token's issuer. The storage id may contain '/', so the repository
 * name is derived from it and the id itself is kept in {@code storage_repository}.
 */
@ApplicationScoped
public class StorageRepos {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,80}");
    private static final int MAX_ID = StorageIds.MAX_LENGTH;

    private final Pool pool;
    private final RepoService repos;
    private final StorageRepoRepository storage;
    private final RepoConfig config;
    private final StorageProviders providers;
    private final PublicUrl publicUrl;

    public StorageRepos(Pool pool, RepoService repos, StorageRepoRepository storage, RepoConfig config, StorageProviders providers,
                        PublicUrl publicUrl) {
        this.providers = providers;
        this.pool = pool;
        this.repos = repos;
        this.storage = storage;
        this.config = config;
        this.publicUrl = publicUrl;
    }

    public Uni<Repo> create(StorageIdentity who, String defaultBranch) {
        return create(who, defaultBranch, null);
    }

    /**
     * Creates the repository; with {@code base} (GitHub sync) its upstream is stored for
     * pull-upstream, and the upstream's default branch is the default when the request names none.
     */
    public Uni<Repo> create(StorageIdentity who, String defaultBranch, StorageViews.BaseRepoRequest base) {
        requireCreatableId(who.repo());
        StorageViews.BaseRepoRequest upstream = base == null ? null : providers.requireValidBase(base);
        if (defaultBranch == null && upstream != null) {
            defaultBranch = upstream.defaultBranch();
        }
        String branch = defaultBranch == null ? config.defaultBranch() : RepoNames.requireValidBranch("default_branch", defaultBranch);
        return createRecorded(who, branch, upstream == null ? null : upstream.provider(), upstream == null ? null : upstream.owner(),
                upstream == null ? null : upstream.name(), upstream == null ? null : upstream.defaultBranch(),
                upstream == null ? null : upstream.upstreamHost());
    }

    /** Throws 409 when the token's repository exists already; checked again (atomically) on creation. */
    public Uni<Void> requireAbsent(StorageIdentity who) {
        String id = requireCreatableId(who.repo());
        return storage.find(pool, who.issuer(), id).invoke(existing -> {
            if (existing != null) {
                throw new ConflictException("repository '" + id + "' already exists");
            }
        }).replaceWithVoid();
    }

    /**
     * Creates the repository with a validated default branch and its storage row recording the base
     * ({@code provider} null: none; {@code code}: a fork of the issuer's repository {@code name}).
     */
    public Uni<Repo> createRecorded(StorageIdentity who, String branch, String provider, String owner, String name,
                                    String baseDefaultBranch) {
        return createRecorded(who, branch, provider, owner, name, baseDefaultBranch, null);
    }

    /** As above, with the upstream's host (generic providers). */
    public Uni<Repo> createRecorded(StorageIdentity who, String branch, String provider, String owner, String name,
                                    String baseDefaultBranch, String host) {
        String id = requireCreatableId(who.repo());
        CreateRepoRequest request = new CreateRepoRequest(repoName(id), "Code Storage repository " + id, true, branch);
        return storage.find(pool, who.issuer(), id)
                .chain(existing -> {
                    if (existing != null) {
                        throw new ConflictException("repository '" + id + "' already exists");
                    }
                    return repos.create(who.caller(), who.issuer(), request);
                })
                .onFailure(ConflictException.class).transform(e -> new ConflictException("repository '" + id + "' already exists"))
                .call(repo -> storage.insert(pool, new StorageRepoRepository.Entry(repo.id(), who.issuer(), id,
                                provider, owner, name, baseDefaultBranch, host))
                        .onFailure().transform(e -> new ConflictException("repository '" + id + "' already exists")));
    }

    /** The repository the token names with its storage row; 404 when the issuer has none by that id. */
    public Uni<Named> named(StorageIdentity who) {
        return storage.entry(pool, who.issuer(), who.repo()).chain(entry -> {
            if (entry == null) {
                throw new NotFoundException("repository '" + who.repo() + "' not found");
            }
            return repos.byId(entry.repoId()).map(repo -> new Named(repo, entry));
        });
    }

    /** A storage repository: the Shoal repository and its {@code storage_repository} row. */
    public record Named(Repo repo, StorageRepoRepository.Entry entry) {
    }

    /**
     * Deletes the repository (row, git data, {@code repo.deleted}) through the same path as Shoal's
     * own API; its storage row goes with it (ON DELETE CASCADE).
     */
    public Uni<Void> delete(StorageIdentity who) {
        return resolve(who).chain(repo -> repos.delete(who.caller(), repo.org(), repo.name()));
    }

    /** The SDK's repository info: id, git remote through the gateway, default branch, creation, upstream. */
    public StorageViews.RepoInfo info(StorageRepoRepository.Entry e, String defaultBranch, java.time.Instant createdAt) {
        String url = publicUrl.resolve("/storage/"
                + java.net.URLEncoder.encode(e.storageId(), StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/") + ".git");
        return new StorageViews.RepoInfo(e.storageId(), url, defaultBranch, createdAt,
                e.hasUpstream() ? new StorageViews.BaseRepo(e.baseProvider(), e.baseOwner(), e.baseName()) : null);
    }

    /** The issuer's repositories in creation order; the cursor ({@code r_…}) names the page's last one. */
    public Uni<StorageViews.Repos> list(StorageIdentity who, String cursor, String rawLimit, String q) {
        int limit = StorageReads.limit(rawLimit);
        long after = 0;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = Long.parseLong(new String(java.util.Base64.getUrlDecoder().decode(cursor.startsWith("r_") ? cursor.substring(2) : "!"),
                        StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ValidationException("cursor is not one this service returned");
            }
        }
        String query = q == null || q.isBlank() ? null : q.trim();
        return storage.list(pool, who.issuer(), after, query, limit + 1).map(rows -> {
            boolean more = rows.size() > limit;
            java.util.List<StorageRepoRepository.Listed> page = more ? rows.subList(0, limit) : rows;
            java.util.List<StorageViews.RepoInfo> infos = page.stream().map(l -> info(l.entry(), l.defaultBranch(), l.createdAt())).toList();
            String next = more ? "r_" + java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(String.valueOf(page.get(page.size() - 1).entry().repoId()).getBytes(StandardCharsets.UTF_8)) : null;
            return new StorageViews.Repos(infos, next, more);
        });
    }

    /** The repository the token names; 404 when the issuer has none by that id. */
    public Uni<Repo> resolve(StorageIdentity who) {
        return storage.find(pool, who.issuer(), who.repo()).chain(repoId -> {
            if (repoId == null) {
                throw new NotFoundException("repository '" + who.repo() + "' not found");
            }
            return repos.byId(repoId);
        });
    }

    /**
     * When each branch under {@code prefix} ({@code refs/heads/} or the ephemeral namespace's) was
     * (last) created, from the ref journal every write goes through.
     */
    public Uni<java.util.Map<String, java.time.Instant>> branchCreation(long repoId, String prefix) {
        return pool.preparedQuery("SELECT ref, max(created_at) FROM ref_journal WHERE repo_id = $1 AND old_sha = $2 "
                        + "AND starts_with(ref, $3) GROUP BY ref")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(repoId, "0".repeat(40), prefix))
                .map(rows -> {
                    java.util.Map<String, java.time.Instant> created = new java.util.HashMap<>();
                    rows.forEach(row -> created.put(row.getString(0), row.getOffsetDateTime(1).toInstant()));
                    return created;
                });
    }

    /**
     * An id a new repository may take: one git can reach under the same id ({@link StorageIds}), so the
     * API never creates a repository its own git remote cannot serve. Checked before anything is created.
     */
    static String requireCreatableId(String id) {
        String problem = StorageIds.problem(id);
        if (problem != null) {
            throw new ValidationException(problem);
        }
        return requireValidId(id);
    }

    static String requireValidId(String id) {
        if (id.length() > MAX_ID || id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ValidationException("the token's repo id must be at most " + MAX_ID + " printable characters");
        }
        if (id.equals("org")) {
            throw new ApiException(403, "forbidden", "'org' names the whole organization, not a repository");
        }
        return id;
    }

    /**
     * A valid, deterministic repository name for a storage id: the id itself when it is already a
     * valid name, otherwise its safe characters plus a hash of the whole id (so "a/b" and "a-b"
     * never collide).
     */
    static String repoName(String id) {
        if (SAFE.matcher(id).matches() && !id.toLowerCase().endsWith(".git") && !id.equals(".") && !id.equals("..")
                && !id.startsWith("s--")) {
            return id;
        }
        String safe = id.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[.-]+", "");
        if (safe.length() > 60) {
            safe = safe.substring(0, 60);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "s--" + safe + "--" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
