package dev.shoal.repo.support;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.repo.git.ssh.SshAccess;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.repository.RepoRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's answers to the SSH server, which does not run in repo-service tests (the gateway's
 * SshKeyApiTest covers its decisions): keys a test registered answer with an internal JWT signed by
 * the test gateway key, as the gateway would; private repositories are "not found" to non-members,
 * exactly as missing ones; deploy keys reach their own repository only.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class SshAccessDouble implements SshAccess {

    /** A key's holder: a user with a role in every organization, or a deploy key of one repository. */
    public record KeyHolder(long userId, String login, String role, boolean active, Long deployRepoId, boolean readOnly) {

        public static KeyHolder user(long userId, String login, String role) {
            return new KeyHolder(userId, login, role, true, null, false);
        }

        public static KeyHolder deployKey(long repoId, boolean readOnly) {
            return new KeyHolder(0, "deploy-key-" + repoId, "member", true, repoId, readOnly);
        }
    }

    private final Map<String, KeyHolder> keys = new ConcurrentHashMap<>();
    private final Pool pool;
    private final RepoRepository repos;

    public SshAccessDouble(Pool pool, RepoRepository repos) {
        this.pool = pool;
        this.repos = repos;
    }

    public void register(String fingerprint, KeyHolder holder) {
        keys.put(fingerprint, holder);
    }

    public void revoke(String fingerprint) {
        keys.remove(fingerprint);
    }

    @Override
    public Holder holder(String fingerprint) {
        KeyHolder holder = usable(fingerprint);
        return holder.deployRepoId() != null ? new Holder("deploy_key", holder.login()) : new Holder("user", holder.login());
    }

    @Override
    public Grant access(String fingerprint, String org, String name, boolean write) {
        KeyHolder holder = usable(fingerprint);
        Repo repo = repos.findByName(pool, org, name).await().atMost(Duration.ofSeconds(10));
        boolean member = !"none".equals(holder.role());
        if (repo == null || repo.isPrivate() && !member || holder.deployRepoId() != null && holder.deployRepoId() != repo.id()) {
            throw new ApiException(404, "not_found", "repository not found");
        }
        if (write && (!member || holder.readOnly())) {
            throw new ApiException(403, "forbidden", holder.readOnly() ? "deploy key is read-only: it may fetch and clone, not push"
                    : "only members of organization '" + org + "' may do this");
        }
        List<String> scopes = holder.readOnly() ? List.of("read") : List.of("read", "write");
        String token = holder.deployRepoId() != null
                ? InternalKeys.shared().userToken(0, holder.login(), scopes, repo.orgId(), repo.id(), "member")
                : InternalKeys.shared().userToken(holder.userId(), holder.login(), scopes, repo.orgId(), repo.id(), holder.role());
        return new Grant(token, repo.id());
    }

    private KeyHolder usable(String fingerprint) {
        KeyHolder holder = keys.get(fingerprint);
        if (holder == null) {
            throw new ApiException(404, "unknown_key", "this SSH key is not registered");
        }
        if (!holder.active()) {
            throw new ApiException(403, "forbidden", "the account of this key's user is deactivated");
        }
        return holder;
    }
}
