package dev.shoal.repo.git.service;

import dev.shoal.platform.identity.Caller;
import dev.shoal.repo.repo.Repo;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PostReceiveHookChain;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.TransferConfig;
import org.eclipse.jgit.transport.UploadPack;

/**
 * The UploadPack and ReceivePack of one fetch or push, the same whichever transport carries it
 * (smart HTTP or SSH): one place decides what a clone is served and what a push must pass.
 */
@ApplicationScoped
public class GitPacks {

    private final PushPolicy pushPolicy;
    private final GitMetrics metrics;

    public GitPacks(PushPolicy pushPolicy, GitMetrics metrics) {
        this.pushPolicy = pushPolicy;
        this.metrics = metrics;
    }

    /**
     * @param namespace the ref namespace the client is confined to, or null for the whole repository
     * @param protocol  the client's protocol parameters ({@code version=2}: the HTTP header
     *                  {@code Git-Protocol} or the SSH variable {@code GIT_PROTOCOL}, split on ':'); without
     *                  them JGit silently answers v0 (no ls-refs ref filtering, a slower client path)
     */
    public UploadPack uploadPack(Repository git, Repo repo, RefNamespace namespace, List<String> protocol) {
        UploadPack upload = namespace != null ? namespace.uploadPack(git, repo.defaultBranch()) : new UploadPack(git);
        upload.setTransferConfig(transferConfig(git));
        if (namespace == null) {
            // Namespaced refs (Code Storage's ephemeral branches) are served by their own remote only.
            upload.setRefFilter(RefNamespace::hideNamespaces);
        }
        if (!protocol.isEmpty()) {
            upload.setExtraParameters(protocol);
        }
        upload.setPostUploadHook(metrics.uploadHook());
        return upload;
    }

    public ReceivePack receivePack(Repo repo, Caller caller, Repository git, RefNamespace namespace) {
        ReceivePack receive = pushPolicy.receivePack(repo, caller, git, namespace);
        receive.setPostReceiveHook(PostReceiveHookChain.newChain(List.of(receive.getPostReceiveHook(), metrics.receiveHook())));
        return receive;
    }

    /**
     * The repository's transfer settings with object filters allowed: without
     * {@code uploadpack.allowFilter} JGit does not advertise {@code filter}, and stock git then
     * silently falls back from {@code --filter=blob:none} to a full clone. Filters only ever send
     * less than the client may read anyway, so they are safe for every repository, including ones
     * created before this setting existed (hence in memory, not in each repository's config file).
     */
    static TransferConfig transferConfig(Repository git) {
        Config config = new Config(git.getConfig());
        config.setBoolean("uploadpack", null, "allowfilter", true);
        return new TransferConfig(config);
    }
}
