package dev.shoal.repo.git.http;

import dev.shoal.platform.identity.Caller;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.service.GitMetrics;
import dev.shoal.repo.git.service.PushPolicy;
import dev.shoal.repo.git.service.RefNamespace;
import dev.shoal.repo.repo.Repo;
import jakarta.inject.Inject;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.http.server.resolver.AsIsFileService;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.GitProtocolConstants;
import org.eclipse.jgit.transport.PostReceiveHookChain;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.TransferConfig;
import org.eclipse.jgit.transport.UploadPack;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;

/**
 * JGit's smart-HTTP servlet. {@link GitAuthFilter} has already verified the internal JWT and looked
 * the repository up, so the resolver only maps the request to the repository's id on disk.
 */
@WebServlet(urlPatterns = GitRequest.PREFIX + "/*", loadOnStartup = 1)
public class GitHttpServlet extends GitServlet {

    private final GitStore store;
    private final PushPolicy pushPolicy;
    private final GitMetrics metrics;

    @Inject
    public GitHttpServlet(GitStore store, PushPolicy pushPolicy, GitMetrics metrics) {
        this.store = store;
        this.pushPolicy = pushPolicy;
        this.metrics = metrics;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        setAsIsFileService(AsIsFileService.DISABLED);
        setUploadPackErrorHandler(new UploadPackErrors());
        setRepositoryResolver((req, name) -> {
            Repo repo = (Repo) req.getAttribute(GitRequest.REPO);
            if (repo == null) {
                throw new RepositoryNotFoundException(name);
            }
            Repository git = store.open(repo.id());
            // JGit closes the repository after the request; the cached instance stays open.
            git.incrementOpen();
            return git;
        });
        setUploadPackFactory((req, git) -> {
            RefNamespace namespace = (RefNamespace) req.getAttribute(GitRequest.NAMESPACE);
            Repo repo = (Repo) req.getAttribute(GitRequest.REPO);
            UploadPack upload = namespace != null ? namespace.uploadPack(git, repo.defaultBranch()) : new UploadPack(git);
            upload.setTransferConfig(transferConfig(git));
            if (namespace == null) {
                // Namespaced refs (Code Storage's ephemeral branches) are served by their own remote only.
                upload.setRefFilter(RefNamespace::hideNamespaces);
            }
            // Stock git asks for protocol v2 in this header; without passing it on, JGit silently
            // answers v0 (no ls-refs ref filtering, a slower client path: see deploy/bench).
            String protocol = req.getHeader(GitProtocolConstants.PROTOCOL_HEADER);
            if (protocol != null) {
                upload.setExtraParameters(Arrays.asList(protocol.split(":")));
            }
            upload.setPostUploadHook(metrics.uploadHook());
            return upload;
        });
        setReceivePackFactory((req, git) -> {
            Repo repo = (Repo) req.getAttribute(GitRequest.REPO);
            Caller caller = (Caller) req.getAttribute(GitRequest.CALLER);
            if (repo == null || caller == null || !caller.isMember()) {
                throw new ServiceNotEnabledException("pushing needs the member or owner role in " +
                        (repo == null ? "the organization" : repo.org()));
            }
            ReceivePack receive = pushPolicy.receivePack(repo, caller, git, (RefNamespace) req.getAttribute(GitRequest.NAMESPACE));
            receive.setPostReceiveHook(PostReceiveHookChain.newChain(List.of(receive.getPostReceiveHook(), metrics.receiveHook())));
            return receive;
        });
        super.init(config);
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
