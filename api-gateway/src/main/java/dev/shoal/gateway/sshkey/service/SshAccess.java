package dev.shoal.gateway.sshkey.service;

import dev.shoal.gateway.access.AccessPolicy;
import dev.shoal.gateway.access.Authenticated;
import dev.shoal.gateway.auth.Principal;
import dev.shoal.gateway.directory.RepoDirectory;
import dev.shoal.gateway.proxy.GatewayRouter;
import dev.shoal.gateway.route.RouteMatch;
import dev.shoal.gateway.sshkey.SshKey;
import dev.shoal.gateway.sshkey.repository.SshKeyRepository;
import dev.shoal.gateway.sshkey.repository.SshKeyRepository.Holder;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ForbiddenException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.InternalTokens;
import dev.shoal.platform.identity.Scope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;

/**
 * The SSH server's questions, answered by the rules HTTP requests meet (like GitLab's shell, the SSH
 * server decides nothing alone). A user's key stands for its user with the read and write scopes and
 * goes through {@link AccessPolicy} on the very routes a git client would use over HTTP
 * ({@code POST /{org}/{repo}.git/git-upload-pack} or {@code git-receive-pack}): private repositories
 * are "not found" to outsiders exactly as missing ones, pushes need the member role, blocked users
 * keep read access only. A deploy key reaches its own repository only, and writes only when marked
 * writable. Nothing is cached: a deleted key or a deactivated user is refused on the next command.
 */
@ApplicationScoped
public class SshAccess {

    /** The scopes a user's SSH key carries: it reads and writes what its user may, and administers nothing. */
    private static final Set<Scope> KEY_SCOPES = Set.of(Scope.READ, Scope.WRITE);
    private static final String REPO_NAME = "[A-Za-z0-9._-]{1,100}";

    private final Pool pool;
    private final SshKeyRepository keys;
    private final AccessPolicy policy;
    private final GatewayRouter router;
    private final RepoDirectory repos;
    private final InternalTokens tokens;

    public SshAccess(Pool pool, SshKeyRepository keys, AccessPolicy policy, GatewayRouter router, RepoDirectory repos,
                     InternalTokens tokens) {
        this.pool = pool;
        this.keys = keys;
        this.policy = policy;
        this.router = router;
        this.repos = repos;
        this.tokens = tokens;
    }

    /** Who holds a key, for the server's authentication step. */
    public record KeyHolder(long keyId, String kind, String name) {
    }

    /**
     * What the SSH server may do for one command: the internal JWT it presents to its own git code
     * (the caller as the gateway vouches for it, as on an HTTP request), and the repository's id.
     */
    public record Grant(String token, long repoId, String login) {
    }

    public Uni<KeyHolder> holder(String fingerprint) {
        return usable(fingerprint).map(holder -> holder.key().isDeployKey()
                ? new KeyHolder(holder.key().id(), "deploy_key", holder.key().title())
                : new KeyHolder(holder.key().id(), "user", holder.username()));
    }

    public Uni<Grant> authorize(String fingerprint, String org, String repo, boolean write) {
        if (org == null || repo == null || !org.matches(REPO_NAME) || !repo.matches(REPO_NAME)) {
            return Uni.createFrom().failure(new NotFoundException("repository not found"));
        }
        return usable(fingerprint).chain(holder -> (holder.key().isDeployKey()
                        ? deployKeyCaller(holder.key(), org, repo, write)
                        : userCaller(holder, org, repo, write))
                .call(caller -> keys.touch(pool, holder.key().id()))
                .map(caller -> new Grant(tokens.forCaller(caller, "repo"), caller.repoId(), caller.login())));
    }

    private Uni<Holder> usable(String fingerprint) {
        if (fingerprint == null || !fingerprint.startsWith("SHA256:") || fingerprint.length() > 100) {
            return Uni.createFrom().failure(unknownKey());
        }
        return keys.byFingerprint(pool, fingerprint).map(found -> {
            Holder holder = found.orElseThrow(SshAccess::unknownKey);
            if (!holder.active()) {
                throw new ForbiddenException("the account of this key's user is deactivated; a site administrator can reactivate it");
            }
            return holder;
        });
    }

    private Uni<Caller> userCaller(Holder holder, String org, String repo, boolean write) {
        String path = "/" + org + "/" + repo + ".git/" + (write ? "git-receive-pack" : "git-upload-pack");
        RouteMatch match = router.table().match("POST", path, Map.of());
        if (match == null) {
            return Uni.createFrom().failure(new NotFoundException("repository not found"));
        }
        Principal principal = new Principal(holder.key().userId(), holder.username(), holder.siteAdmin(), KEY_SCOPES, 0, null);
        return policy.authorize(match, new Authenticated(principal, "ssh-key:" + holder.key().id(), null))
                .map(decision -> decision.caller());
    }

    private Uni<Caller> deployKeyCaller(SshKey key, String org, String repo, boolean write) {
        return repos.find(org, repo).map(found -> {
            if (found.isEmpty() || found.get().id() != key.repoId()) {
                throw new NotFoundException("repository not found");
            }
            if (write && Boolean.TRUE.equals(key.readOnly())) {
                throw new ForbiddenException("deploy key '" + key.title() + "' is read-only: it may fetch and clone, not push; "
                        + "an owner of " + org + "/" + repo + " can add a key with read_only false");
            }
            Set<Scope> scopes = write || !Boolean.TRUE.equals(key.readOnly()) ? KEY_SCOPES : Set.of(Scope.READ);
            return new Caller("deploy_key", null, "deploy-key-" + key.id(), false, scopes, found.get().orgId(),
                    found.get().id(), Caller.MEMBER);
        });
    }

    private static ApiException unknownKey() {
        return new ApiException(404, "unknown_key", "this SSH key is not registered: add it under /api/v1/user/keys");
    }
}
