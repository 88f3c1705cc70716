package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ForbiddenException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.Workers;
import dev.shoal.repo.git.service.ForkCopy;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.service.RepoNames;
import dev.shoal.repo.repo.service.RepoService;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.StorageViews;
import dev.shoal.repo.compat.storage.client.StorageTokenCheck;
import dev.shoal.repo.compat.storage.repository.StorageRepoRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * SDK forks: {@code createRepo({baseRepo: {id, ref?, sha?}})} sends {@code base_repo: {provider:
 * "code", owner: <issuer>, name: <base id>, operation: "fork", auth: {token}, ref?, sha?}}. The
 * base's token is verified by the gateway (which holds the issuers' keys) and must be signed by the
 * caller's own issuer, for the base repository, with {@code git:read}; every check (and the base's
 * {@code ref}/{@code sha}) is done before the repository is created, so a refusal leaves nothing.
 *
 * <p>The fork gets its own copy of the base's objects through {@link ForkCopy} (each ref moved through
 * {@code RefMover}: journal, {@code repo.pushed}); this class only checks the request and decides what
 * is copied.
 */
@ApplicationScoped
public class StorageForks {

    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");
    private static final String GIT_READ = "git:read";

    private final StorageRepos repos;
    private final RepoService repoService;
    private final StorageRepoRepository storage;
    private final StorageTokenCheck tokens;
    private final GitStore store;
    private final ForkCopy copy;
    private final Pool pool;

    public StorageForks(StorageRepos repos, RepoService repoService, StorageRepoRepository storage, StorageTokenCheck tokens,
                        GitStore store, ForkCopy copy, Pool pool) {
        this.repos = repos;
        this.repoService = repoService;
        this.storage = storage;
        this.tokens = tokens;
        this.store = store;
        this.copy = copy;
        this.pool = pool;
    }

    /** Whether {@code base} asks for a fork of a Code Storage repository (rather than a GitHub sync). */
    public static boolean isFork(StorageViews.BaseRepoRequest base) {
        return base != null && ("code".equals(base.provider()) || "fork".equals(base.operation()));
    }

    /** A checked fork request. */
    record Request(String baseId, String token, String branch, String sha, String defaultBranch) {
    }

    public Uni<Repo> create(StorageIdentity who, String defaultBranch, StorageViews.BaseRepoRequest base) {
        Request request = validate(who, defaultBranch, base);
        RepoPushed.Pusher pusher = new RepoPushed.Pusher(null, who.issuer());
        return repos.requireAbsent(who)
                .chain(() -> tokens.verify(request.token()).onFailure(e -> e instanceof ApiException a && a.status() == 401)
                        .transform(e -> new ForbiddenException("base_repo.auth.token was refused: " + e.getMessage())))
                .invoke(claims -> {
                    if (!who.issuer().equals(claims.issuer())) {
                        throw new ForbiddenException("base_repo.auth.token is signed by another organization ('" + claims.issuer()
                                + "'); forks are made within one organization ('" + who.issuer() + "')");
                    }
                    if (!request.baseId().equals(claims.repo())) {
                        throw new ForbiddenException("base_repo.auth.token is for repository '" + claims.repo() + "', not the base '"
                                + request.baseId() + "'");
                    }
                    if (!claims.scopes().contains(GIT_READ)) {
                        throw new ForbiddenException("base_repo.auth.token needs the 'git:read' scope to fork the base; it has "
                                + claims.scopes());
                    }
                })
                .chain(() -> storage.entry(pool, who.issuer(), request.baseId()))
                .chain(entry -> {
                    if (entry == null) {
                        throw new NotFoundException("base repository '" + request.baseId() + "' not found");
                    }
                    return repoService.byId(entry.repoId());
                })
                .chain(parent -> Workers.run(() -> plan(parent, request)))
                .chain(plan -> repos.createRecorded(who, plan.defaultBranch(), "code", who.issuer(), request.baseId(),
                                plan.parent().defaultBranch())
                        .call(fork -> Workers.run(() -> copy.copy(fork, plan, pusher))
                                // the repository must not outlive a failed copy: undo the creation, keep the cause
                                .onFailure().call(e -> repos.delete(who).onFailure().recoverWithNull())));
    }

    static Request validate(StorageIdentity who, String defaultBranch, StorageViews.BaseRepoRequest base) {
        if (base.provider() != null && !"code".equals(base.provider())) {
            throw new ValidationException("base_repo.provider must be 'code' for a fork (operation 'fork')");
        }
        if (base.operation() != null && !"fork".equals(base.operation())) {
            throw new ValidationException("base_repo.operation must be 'fork' for provider 'code'");
        }
        if (base.defaultBranch() != null) {
            throw new ValidationException("base_repo.default_branch is not taken for a fork: the fork's default branch is the base's");
        }
        if (base.name() == null || base.name().isBlank()) {
            throw new ValidationException("base_repo.name is required: the id of the repository to fork");
        }
        StorageRepos.requireValidId(base.name());
        if (base.name().equals(who.repo())) {
            throw new ValidationException("a repository cannot be a fork of itself");
        }
        if (base.owner() != null && !base.owner().equals(who.issuer())) {
            throw new ForbiddenException("base_repo.owner '" + base.owner() + "' is not this token's organization '" + who.issuer()
                    + "': forks are made within one organization");
        }
        String token = base.auth() instanceof Map<?, ?> auth && auth.get("token") instanceof String t && !t.isBlank() ? t.trim() : null;
        if (token == null) {
            throw new ValidationException("base_repo.auth.token is required: a JWT for the base repository with 'git:read'");
        }
        String branch = null;
        if (base.ref() != null) {
            String ref = base.ref().startsWith(Constants.R_HEADS) ? base.ref().substring(Constants.R_HEADS.length()) : base.ref();
            branch = RepoNames.requireValidBranch("base_repo.ref", ref);
        }
        if (base.sha() != null && !SHA.matcher(base.sha()).matches()) {
            throw new ValidationException("base_repo.sha must be a full 40-hex commit SHA");
        }
        String fallback = defaultBranch == null ? null : RepoNames.requireValidBranch("default_branch", defaultBranch);
        return new Request(base.name(), token, branch, base.sha() == null ? null : base.sha().toLowerCase(), fallback);
    }

    /**
     * Reads the base (no lock: refs are read once, objects are immutable): everything it has, or with
     * {@code ref}/{@code sha} one branch at its head or at that commit (which must be on it).
     */
    private ForkCopy.Plan plan(Repo parent, Request request) {
        Repository git = store.open(parent.id());
        try {
            if (request.branch() == null && request.sha() == null) {
                return copy.everything(parent, request.defaultBranch() == null ? parent.defaultBranch() : request.defaultBranch());
            }
            String branch = request.branch() == null ? parent.defaultBranch() : request.branch();
            Ref head = git.exactRef(Constants.R_HEADS + branch);
            if (head == null) {
                throw new NotFoundException("base repository '" + request.baseId() + "' has no branch '" + branch + "'");
            }
            ObjectId tip = head.getObjectId();
            if (request.sha() != null) {
                try (RevWalk walk = new RevWalk(git)) {
                    ObjectId id = ObjectId.fromString(request.sha());
                    if (!git.getObjectDatabase().has(id) || git.getObjectDatabase().open(id).getType() != Constants.OBJ_COMMIT) {
                        throw new NotFoundException("base repository '" + request.baseId() + "' has no commit " + request.sha());
                    }
                    RevCommit commit = walk.parseCommit(id);
                    if (!walk.isMergedInto(commit, walk.parseCommit(tip))) {
                        throw new ValidationException("base_repo.sha " + request.sha() + " is not on the base's branch '" + branch + "'");
                    }
                    tip = commit;
                }
            }
            return new ForkCopy.Plan(parent, Map.of(Constants.R_HEADS + branch, tip.copy()), false,
                    request.defaultBranch() == null ? branch : request.defaultBranch());
        } catch (IOException e) {
            throw new IllegalStateException("reading the base repository failed: " + e.getMessage(), e);
        }
    }
}
