package dev.shoal.repo.compat.storage.rest;

import dev.shoal.platform.compat.storage.StoragePaths;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ForbiddenException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.service.StorageRepos;
import dev.shoal.repo.git.http.GitRemoteDialect;
import dev.shoal.repo.git.service.RefNamespace;
import dev.shoal.repo.repo.Repo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Code Storage's git remotes: {@code /storage/{id}.git} is the repository the Code Storage token
 * names, with its git scope; {@code /storage/{id}+ephemeral.git} serves the same repository's
 * ephemeral namespace ({@code refs/namespaces/ephemeral/refs/heads/...}) as if it were the whole
 * repository; the SDK's write-only {@code +import} remote is not served.
 */
@ApplicationScoped
public class StorageGitRemotes implements GitRemoteDialect {

    private static final String EPHEMERAL_SUFFIX = "+ephemeral";
    private static final String IMPORT_SUFFIX = "+import";
    private static final RefNamespace EPHEMERAL = RefNamespace.of("ephemeral");
    /** A Code Storage remote: the id (raw, '/' included) is everything between /storage/ and .git. */
    private static final Pattern PATH = Pattern.compile("^/storage/(.+)\\.git/(.*)$");

    private final StorageRepos storageRepos;

    public StorageGitRemotes(StorageRepos storageRepos) {
        this.storageRepos = storageRepos;
    }

    @Override
    public String callerKind() {
        return "storage";
    }

    @Override
    public Pattern path() {
        return PATH;
    }

    @Override
    public String pathHint() {
        return "Code Storage repositories are served under /storage/{id}.git";
    }

    @Override
    public Remote resolve(HttpServletRequest req, Caller caller, String raw, boolean push) {
        String remote = storageId(raw);
        String id = remote;
        RefNamespace namespace = null;
        if (remote.endsWith(EPHEMERAL_SUFFIX)) {
            id = remote.substring(0, remote.length() - EPHEMERAL_SUFFIX.length());
            namespace = EPHEMERAL;
        } else if (remote.endsWith(IMPORT_SUFFIX)) {
            // The SDK's write-only import remote is not part of the Code Storage API this server implements.
            throw new ApiException(404, "not_found", "the '" + IMPORT_SUFFIX + "' remote (write-only history import) is not served "
                    + "here; push the history to /storage/" + remote.substring(0, remote.length() - IMPORT_SUFFIX.length())
                    + ".git instead");
        }
        StorageIdentity who = StorageIdentity.of(caller, req.getHeader(StorageIdentity.ISSUER_HEADER),
                req.getHeader(StorageIdentity.REPO_HEADER), req.getHeader(StorageIdentity.SCOPES_HEADER));
        if (!who.repo().equals(id)) {
            throw new ForbiddenException("the token is for repository '" + who.repo() + "', not '" + id + "'");
        }
        who.require(push ? "git:write" : "git:read");
        Repo repo = storageRepos.resolve(who).await().atMost(Duration.ofSeconds(30));
        // the Code Storage token is scoped to this repository: with git:write it may push here
        Caller scoped = new Caller("storage", null, caller.login(), false, Set.of(), repo.orgId(), repo.id(),
                push ? Caller.MEMBER : Caller.NONE, caller.refRules());
        return new Remote(repo, scoped, namespace);
    }

    /** The id a storage git path names (percent-decoded); a malformed escape is a 400, not a failure. */
    private static String storageId(String raw) {
        try {
            return StoragePaths.decodeId(raw);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "validation_failed", "the repository id in the path has a malformed percent-escape");
        }
    }
}
