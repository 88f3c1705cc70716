package dev.shoal.repo.git.ssh;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CallerClaims;
import dev.shoal.platform.identity.Scope;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.service.GitPacks;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;
import org.eclipse.jgit.lib.Repository;
import org.jboss.logging.Logger;

/**
 * One {@code git-upload-pack} or {@code git-receive-pack} over SSH. The gateway decides whether the
 * key may (and answers with the internal JWT an HTTP request would have carried); from there on it
 * is the HTTP path: the caller from the verified token, the repository resolved and checked against
 * it, the same UploadPack/ReceivePack ({@link GitPacks}: protection, journal, {@code repo.pushed}),
 * the repository's lock around a push. Runs on the SSH command pool, never on MINA's I/O threads.
 */
final class GitSshCommand extends SshCommandStreams implements Runnable {

    private static final Logger LOG = Logger.getLogger(GitSshCommand.class);
    private static final String NOT_FOUND = "repository '%s/%s' not found (or you may not read it); check the path and your key";

    private final GitSshRequest request;
    private final Dependencies deps;
    private String fingerprint;
    private String protocol;
    private Future<?> running;

    /** What a command needs from the application, handed over once by the server. */
    record Dependencies(SshAccess gateway, JWTParser parser, RepoService repos, GitStore store, GitPacks packs,
                        ExecutorService pool) {
    }

    GitSshCommand(GitSshRequest request, Dependencies deps) {
        this.request = request;
        this.deps = deps;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        fingerprint = channel.getSession().getAttribute(SshKeyAuthenticator.FINGERPRINT);
        protocol = env.getEnv().get("GIT_PROTOCOL");
        running = deps.pool().submit(this);
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (running != null) {
            running.cancel(true);
        }
    }

    @Override
    public void run() {
        int status;
        try {
            serve();
            status = 0;
        } catch (GitSshRequest.Refused e) {
            status = refuse(e.getMessage());
        } catch (ApiException e) {
            status = refuse(e.status() == 404 ? String.format(NOT_FOUND, request.org(), request.repo()) : e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "git over SSH failed: %s %s/%s", request.service(), request.org(), request.repo());
            status = refuse("the server could not complete " + request.service() + "; try again");
        }
        try {
            out.flush();
        } catch (IOException e) {
            LOG.debugf("SSH client went away: %s", e.getMessage());
        }
        exit.onExit(status);
    }

    private void serve() throws IOException {
        if (fingerprint == null) {
            throw new GitSshRequest.Refused("no key was verified for this session");
        }
        SshAccess.Grant grant = deps.gateway().access(fingerprint, request.org(), request.repo(), request.writes());
        Caller caller = caller(grant.token());
        Repo repo = deps.repos().visibleNow(caller, request.org(), request.repo());
        if (repo.id() != grant.repoId()) {
            throw new ApiException(404, "not_found", "Repository not found");
        }
        Repository git = deps.store().open(repo.id());
        if (!request.writes()) {
            List<String> params = protocol == null ? List.of() : Arrays.asList(protocol.split(":"));
            deps.packs().uploadPack(git, repo, null, params).upload(in, out, err);
            return;
        }
        if (!caller.isMember() || !caller.has(Scope.WRITE)) {
            throw new GitSshRequest.Refused("pushing to " + repo.org() + "/" + repo.name() + " needs write access");
        }
        ReentrantLock lock = deps.store().lock(repo.id());
        try {
            if (!lock.tryLock(120, TimeUnit.SECONDS)) {
                throw new GitSshRequest.Refused("the repository is busy; push again in a moment");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitSshRequest.Refused("interrupted while waiting for the repository");
        }
        try {
            deps.packs().receivePack(repo, caller, git, null).receive(in, out, err);
        } finally {
            lock.unlock();
        }
    }

    /** The caller the gateway vouched for, read from its token exactly as an HTTP request's. */
    private Caller caller(String token) {
        try {
            return CallerClaims.from(deps.parser().parse(token));
        } catch (ParseException e) {
            throw new IllegalStateException("the gateway's token for this command did not verify", e);
        }
    }
}
