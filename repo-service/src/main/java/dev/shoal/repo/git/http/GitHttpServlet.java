package dev.shoal.repo.git.http;

import dev.shoal.platform.identity.Caller;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.service.GitPacks;
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
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.GitProtocolConstants;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;

/**
 * JGit's smart-HTTP servlet. {@link GitAuthFilter} has already verified the internal JWT and looked
 * the repository up, so the resolver only maps the request to the repository's id on disk.
 */
@WebServlet(urlPatterns = GitRequest.PREFIX + "/*", loadOnStartup = 1)
public class GitHttpServlet extends GitServlet {

    private final GitStore store;
    private final GitPacks packs;

    @Inject
    public GitHttpServlet(GitStore store, GitPacks packs) {
        this.store = store;
        this.packs = packs;
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
            String protocol = req.getHeader(GitProtocolConstants.PROTOCOL_HEADER);
            return packs.uploadPack(git, (Repo) req.getAttribute(GitRequest.REPO), (RefNamespace) req.getAttribute(GitRequest.NAMESPACE),
                    protocol == null ? List.of() : Arrays.asList(protocol.split(":")));
        });
        setReceivePackFactory((req, git) -> {
            Repo repo = (Repo) req.getAttribute(GitRequest.REPO);
            Caller caller = (Caller) req.getAttribute(GitRequest.CALLER);
            if (repo == null || caller == null || !caller.isMember()) {
                throw new ServiceNotEnabledException("pushing needs the member or owner role in " +
                        (repo == null ? "the organization" : repo.org()));
            }
            return packs.receivePack(repo, caller, git, (RefNamespace) req.getAttribute(GitRequest.NAMESPACE));
        });
        super.init(config);
    }
}
