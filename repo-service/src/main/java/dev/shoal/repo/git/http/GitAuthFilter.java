package dev.shoal.repo.git.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.compat.storage.StoragePaths;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ErrorBody;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CallerClaims;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.service.RefNamespace;
import dev.shoal.repo.repo.Repo;
import dev.shoal.platform.error.ForbiddenException;
import dev.shoal.repo.repo.service.RepoService;
import dev.shoal.repo.storage.StorageIdentity;
import dev.shoal.repo.storage.service.StorageRepos;
import java.time.Duration;
import java.util.Set;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The servlet side is outside the JAX-RS filters, so this filter does what InternalAuthFilter does
 * there: no valid internal JWT, no git. It also resolves the repository (private ones stay hidden
 * from non-members), refuses pushes to callers who are not members, and holds the repository's
 * lock for the whole receive-pack so pushes, merges and GC never overlap.
 */
@WebFilter(urlPatterns = GitRequest.PREFIX + "/*")
public class GitAuthFilter extends HttpFilter {

    private static final String EPHEMERAL_SUFFIX = "+ephemeral";
    private static final String IMPORT_SUFFIX = "+import";
    private static final RefNamespace EPHEMERAL = RefNamespace.of("ephemeral");
    private static final Pattern PATH = Pattern.compile("^" + GitRequest.PREFIX + "/([^/]+)/([^/]+)\\.git/(.*)$");
    /** A Code Storage remote: the id (raw, '/' included) is everything between /storage/ and .git. */
    private static final Pattern STORAGE_PATH = Pattern.compile("^" + GitRequest.PREFIX + "/storage/(.+)\\.git/(.*)$");

    private final JWTParser parser;
    private final RepoService repos;
    private final GitStore store;
    private final ObjectMapper mapper;
    private final StorageRepos storageRepos;

    @Inject
    public GitAuthFilter(JWTParser parser, RepoService repos, GitStore store, ObjectMapper mapper, StorageRepos storageRepos) {
        this.parser = parser;
        this.repos = repos;
        this.store = store;
        this.mapper = mapper;
        this.storageRepos = storageRepos;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        String header = req.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            error(res, 401, "unauthorized", "this service answers only requests forwarded by the Shoal gateway");
            return;
        }
        Caller caller;
        try {
            JsonWebToken jwt = parser.parse(header.substring(7).trim());
            caller = CallerClaims.from(jwt);
        } catch (ParseException | RuntimeException e) {
            error(res, 401, "unauthorized", "missing or invalid internal credentials");
            return;
        }
        boolean storage = "storage".equals(caller.kind());
        Matcher m = (storage ? STORAGE_PATH : PATH).matcher(req.getRequestURI());
        if (!m.matches()) {
            error(res, 404, "not_found", storage ? "Code Storage repositories are served under /storage/{id}.git"
                    : "no such git endpoint");
            return;
        }
        String endpoint = m.group(m.groupCount());
        boolean push = endpoint.equals("git-receive-pack")
                || "git-receive-pack".equals(req.getParameter("service"));
        Repo repo;
        try {
            if (storage) {
                repo = storageRepo(req, caller, storageId(m.group(1)), push);
                // the Code Storage token is scoped to this repository: with git:write it may push here
                caller = new Caller("storage", null, caller.login(), false, Set.of(), repo.orgId(), repo.id(),
                        push ? Caller.MEMBER : Caller.NONE, caller.refRules());
            } else {
                repo = repos.visibleNow(caller, m.group(1), m.group(2));
            }
        } catch (ApiException e) {
            error(res, e.status(), e.code(), e.getMessage());
            return;
        }
        if (push && !caller.isMember()) {
            error(res, 403, "forbidden", "pushing needs the member or owner role in " + repo.org());
            return;
        }
        req.setAttribute(GitRequest.REPO, repo);
        req.setAttribute(GitRequest.CALLER, caller);
        if (!push || !"POST".equals(req.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        ReentrantLock lock = store.lock(repo.id());
        try {
            if (!lock.tryLock(120, TimeUnit.SECONDS)) {
                error(res, 503, "busy", "the repository is busy; push again in a moment");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(res, 503, "busy", "interrupted while waiting for the repository");
            return;
        }
        try {
            chain.doFilter(req, res);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code /storage/{id}.git}: the repository the Code Storage token names, with its git scope.
     * {@code /storage/{id}+ephemeral.git} serves the same repository's ephemeral namespace
     * ({@code refs/namespaces/ephemeral/refs/heads/...}) as if it were the whole repository.
     */
    private Repo storageRepo(HttpServletRequest req, Caller caller, String remote, boolean push) {
        String id = remote;
        if (remote.endsWith(EPHEMERAL_SUFFIX)) {
            id = remote.substring(0, remote.length() - EPHEMERAL_SUFFIX.length());
            req.setAttribute(GitRequest.NAMESPACE, EPHEMERAL);
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
        return storageRepos.resolve(who).await().atMost(Duration.ofSeconds(30));
    }

    /** The id a storage git path names (percent-decoded); a malformed escape is a 400, not a failure. */
    private static String storageId(String raw) {
        try {
            return StoragePaths.decodeId(raw);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "validation_failed", "the repository id in the path has a malformed percent-escape");
        }
    }

    private void error(HttpServletResponse res, int status, String code, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json");
        mapper.writeValue(res.getOutputStream(), ErrorBody.of(code, message));
    }
}
