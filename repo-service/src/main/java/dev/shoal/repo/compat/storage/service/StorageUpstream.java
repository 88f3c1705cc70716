package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.RefRules;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.service.RefMover;
import dev.shoal.repo.git.service.RefPolicyGuard;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.config.StorageUpstreamConfig;
import dev.shoal.repo.compat.storage.repository.StorageRepoRepository;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.jboss.logging.Logger;

/**
 * pull-upstream: fetches the configured upstream (GitHub sync) in the background and moves the
 * repository's branches to the upstream's heads through {@link RefMover} (lock, journal,
 * {@code repo.pushed}) like any push. The fetch is a JGit dry run: objects land in the object store
 * but no ref is written by the fetch itself, so every ref change goes through the journal. Upstream
 * is the source of truth for the branches it has (a sync may rewrite them); branches that exist only
 * here are left alone, and upstream deletions are not mirrored.
 */
@ApplicationScoped
public class StorageUpstream {

    private static final Logger LOG = Logger.getLogger(StorageUpstream.class);
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final RefMover mover;
    private final StorageRepoRepository storage;
    private final Pool pool;
    private final StorageUpstreamConfig config;
    private final RefPolicyGuard policies;
    private final GitStore store;
    private final StorageProviders providers;
    private final StorageCredentials credentials;

    public StorageUpstream(RefMover mover, StorageRepoRepository storage, Pool pool, StorageUpstreamConfig config,
                           RefPolicyGuard policies, GitStore store, StorageProviders providers,
                           StorageCredentials credentials) {
        this.credentials = credentials;
        this.providers = providers;
        this.store = store;
        this.mover = mover;
        this.storage = storage;
        this.pool = pool;
        this.config = config;
        this.policies = policies;
    }

    /** The checks answered before the 202: an upstream exists and {@code ref}/{@code after} are well formed. */
    public static void validate(StorageRepoRepository.Entry entry, String ref, String after) {
        if (!entry.hasUpstream()) {
            throw new ValidationException("repository '" + entry.storageId() + "' has no upstream: create it with base_repo "
                    + "({\"provider\": \"github\" or gitlab, bitbucket, gitea, forgejo, codeberg, sr.ht, \"owner\", \"name\"}) to sync from one");
        }
        if (ref != null) {
            RefSpelling.branch("ref", ref);
        }
        if (after != null && !SHA.matcher(after).matches()) {
            throw new ValidationException("after must be a full 40-hex commit SHA");
        }
    }

    /**
     * The URL the upstream is fetched from: a fork's (provider {@code code}) is its parent's own
     * directory (the issuer's repository, looked up now: it may have been deleted since); blocking.
     */
    public String upstreamUrl(StorageRepoRepository.Entry entry) {
        if ("code".equals(entry.baseProvider())) {
            Long parent = storage.find(pool, entry.issuer(), entry.baseName()).await().atMost(DB_TIMEOUT);
            if (parent == null || !store.exists(parent)) {
                throw new IllegalStateException("the fork's parent repository '" + entry.baseName() + "' no longer exists");
            }
            try {
                return new org.eclipse.jgit.transport.URIish(store.dir(parent).toUri().toURL()).toString();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return providers.fetchUrl(entry);
    }

    /** The upstream as logged: no lookup. */
    static String label(StorageRepoRepository.Entry entry) {
        return entry.baseProvider() + ":" + entry.baseOwner() + "/" + entry.baseName();
    }

    /** Starts the sync on the worker pool; its outcome is logged and recorded on the storage row. */
    public void start(Repo repo, StorageRepoRepository.Entry entry, String ref, String after) {
        // the sync outlives the request: the token's ref policies go with it explicitly
        RefRules rules = policies.current();
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            String error = null;
            try {
                List<String> moved = RefPolicyGuard.with(rules, () -> sync(repo, entry, ref, after));
                LOG.infof("pull-upstream %s (repository %d): %d branch(es) updated %s", label(entry), repo.id(), moved.size(), moved);
            } catch (RuntimeException e) {
                error = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.warnf(e, "pull-upstream %s (repository %d) failed", label(entry), repo.id());
            }
            try {
                storage.syncDone(pool, repo.id(), OffsetDateTime.now(ZoneOffset.UTC), error).await().atMost(DB_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not record the pull-upstream outcome of repository %d", repo.id());
            }
        });
    }

    /**
     * Fetches and moves refs (blocking, holding the repository's lock). {@code ref} limits the sync to
     * one branch; {@code after} syncs only branches whose upstream head contains that commit.
     *
     * @return the branches moved
     */
    public List<String> sync(Repo repo, StorageRepoRepository.Entry entry, String ref, String after) {
        String branch = ref == null ? null : RefSpelling.branch("ref", ref);
        String spec = branch == null ? Constants.R_HEADS + "*" : Constants.R_HEADS + branch;
        RepoPushed.Pusher pusher = new RepoPushed.Pusher(null, entry.issuer());
        // the repository's upstream credential (createGitCredential), read before taking the lock
        org.eclipse.jgit.transport.CredentialsProvider login = credentials.provider(repo.id()).await().atMost(DB_TIMEOUT);
        return mover.locked(repo.id(), git -> {
            FetchResult fetched;
            try (Git g = Git.wrap(git)) {
                fetched = g.fetch().setRemote(upstreamUrl(entry)).setRefSpecs(new RefSpec(spec + ":" + spec)).setCredentialsProvider(login)
                        .setDryRun(true).setCheckFetchedObjects(true).setTagOpt(org.eclipse.jgit.transport.TagOpt.NO_TAGS).call();
            } catch (GitAPIException e) {
                throw new IllegalStateException("fetching " + label(entry) + " failed: " + e.getMessage(), e);
            }
            List<String> moved = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            if (branch != null && fetched.getAdvertisedRef(Constants.R_HEADS + branch) == null) {
                throw new IllegalStateException("the upstream has no branch '" + branch + "'");
            }
            try (RevWalk walk = new RevWalk(git)) {
                RevCommit floor = after == null ? null : parseOrNull(walk, git, after);
                if (after != null && floor == null) {
                    throw new IllegalStateException("the upstream has no commit " + after + " on the synced branches");
                }
                for (Ref upstream : fetched.getAdvertisedRefs()) {
                    String name = upstream.getName();
                    if (!name.startsWith(Constants.R_HEADS) || (branch != null && !name.equals(Constants.R_HEADS + branch))
                            || !Repository.isValidRefName(name)) {
                        continue;
                    }
                    ObjectId target = upstream.getObjectId();
                    RevCommit head = walk.parseCommit(target);
                    if (floor != null && !walk.isMergedInto(floor, head)) {
                        continue;
                    }
                    Ref local = git.exactRef(name);
                    ObjectId old = local == null ? null : local.getObjectId();
                    if (target.equals(old)) {
                        continue;
                    }
                    try {
                        mover.move(repo, git, name, old, target, pusher, true);
                        moved.add(name.substring(Constants.R_HEADS.length()));
                    } catch (ApiException e) {
                        if (e.status() != 403) {
                            throw e;
                        }
                        // a branch the token's ref policy protects stays; the others still sync
                        refused.add(e.getMessage());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("reading the fetched commits failed: " + e.getMessage(), e);
            }
            if (!refused.isEmpty()) {
                throw new IllegalStateException("synced " + moved + "; refused by the token's ref policies: "
                        + String.join("; ", refused));
            }
            return moved;
        });
    }

    private static RevCommit parseOrNull(RevWalk walk, Repository git, String sha) throws IOException {
        ObjectId id = ObjectId.fromString(sha);
        return git.getObjectDatabase().has(id) ? walk.parseCommit(id) : null;
    }
}
