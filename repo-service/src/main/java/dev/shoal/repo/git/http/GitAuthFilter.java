package dev.shoal.repo.git.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ErrorBody;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CallerClaims;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The servlet side is outside the JAX-RS filters, so this filter does what InternalAuthFilter does
 * there: no valid internal JWT, no git. It also resolves the repository (private ones stay hidden
 * from non-members), refuses pushes to callers who are not members, and holds the repository's
 * lock for the whole receive-pack so pushes, merges and GC never overlap. Callers of a dialect's kind
 * (Code Storage's tokens) reach that dialect's remotes only, resolved by its {@link GitRemoteDialect}.
 */
@WebFilter(urlPatterns = GitRequest.PREFIX + "/*")
public class GitAuthFilter extends HttpFilter {

    private static final Pattern PATH = Pattern.compile("^" + GitRequest.PREFIX + "/([^/]+)/([^/]+)\\.git/(.*)$");

    private final JWTParser parser;
    private final RepoService repos;
    private final GitStore store;
    private final ObjectMapper mapper;
    private final Instance<GitRemoteDialect> dialects;

    @Inject
    public GitAuthFilter(JWTParser parser, RepoService repos, GitStore store, ObjectMapper mapper, Instance<GitRemoteDialect> dialects) {
        this.parser = parser;
        this.repos = repos;
        this.store = store;
        this.mapper = mapper;
        this.dialects = dialects;
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
        String kind = caller.kind();
        Optional<GitRemoteDialect> dialect = dialects.stream().filter(d -> d.callerKind().equals(kind)).findFirst();
        String uri = req.getRequestURI();
        Matcher m = dialect.isPresent()
                ? dialect.get().path().matcher(uri.startsWith(GitRequest.PREFIX) ? uri.substring(GitRequest.PREFIX.length()) : uri)
                : PATH.matcher(uri);
        if (!m.matches()) {
            error(res, 404, "not_found", dialect.map(GitRemoteDialect::pathHint).orElse("no such git endpoint"));
            return;
        }
        String endpoint = m.group(m.groupCount());
        boolean push = endpoint.equals("git-receive-pack")
                || "git-receive-pack".equals(req.getParameter("service"));
        Repo repo;
        try {
            if (dialect.isPresent()) {
                GitRemoteDialect.Remote remote = dialect.get().resolve(req, caller, m.group(1), push);
                repo = remote.repo();
                caller = remote.caller();
                if (remote.namespace() != null) {
                    req.setAttribute(GitRequest.NAMESPACE, remote.namespace());
                }
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

    private void error(HttpServletResponse res, int status, String code, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json");
        mapper.writeValue(res.getOutputStream(), ErrorBody.of(code, message));
    }
}
