package dev.shoal.repo.repo.service;

import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.git.SshUrls;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.repo.config.RepoConfig;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.Workers;
import dev.shoal.repo.repo.CreateRepoRequest;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.RepoView;
import dev.shoal.repo.repo.UpdateRepoRequest;
import dev.shoal.repo.repo.repository.RepoRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/** Repository lifecycle: the row, the bare git repository on disk, and their events. */
@ApplicationScoped
public class RepoService {

    private static final Logger LOG = Logger.getLogger(RepoService.class);

    private final Pool pool;
    private final RepoRepository repos;
    private final GitStore git;
    private final Outbox outbox;
    private final RepoConfig config;
    private final PublicUrl publicUrl;
    private final SshUrls sshUrls;
    private final RepoRowCache rows;

    public RepoService(Pool pool, RepoRepository repos, GitStore git, Outbox outbox, RepoConfig config, PublicUrl publicUrl,
                       SshUrls sshUrls, RepoRowCache rows) {
        this.pool = pool;
        this.repos = repos;
        this.git = git;
        this.outbox = outbox;
        this.config = config;
        this.publicUrl = publicUrl;
        this.sshUrls = sshUrls;
        this.rows = rows;
    }

    /** The SSH clone URL of {@code org/name} (ADR 0010). */
    public String sshUrl(String org, String name) {
        return sshUrls.of(org, name);
    }

    /** The public JSON of a repository, with its HTTP and SSH clone URLs. */
    public RepoView view(Repo repo) {
        return RepoView.of(repo, publicUrl, sshUrls);
    }

    public Uni<PageResponse<RepoView>> list(Caller caller, String org, PageRequest page) {
        boolean includePrivate = caller.isMember();
        return repos.pageByOrg(pool, org, includePrivate, page.offset(), page.perPage())
                .map(result -> PageResponse.of(result.items().stream().map(this::view).toList(), page, result.total()));
    }

    /** Public repositories across organizations (Pagure's project search); {@code namePattern} is a SQL LIKE pattern. */
    public Uni<PageResponse<Repo>> listPublic(String org, String namePattern, PageRequest page) {
        return repos.pagePublic(pool, org, namePattern, page.offset(), page.perPage())
                .map(result -> PageResponse.of(result.items(), page, result.total()));
    }

    /** The repository named in a route, hidden (404) from callers who may not see it. */
    public Uni<Repo> visible(Caller caller, String org, String name) {
        return rows.find(org, name, () -> repos.findByName(pool, org, name)).map(repo -> {
            if (repo == null || (repo.isPrivate() && !caller.isMember())) {
                throw new NotFoundException("Repository not found");
            }
            caller.requireVouchedFor(repo.orgId(), repo.id());
            return repo;
        });
    }

    /** Blocking variant for code already on a worker thread (JGit endpoints, servlet). */
    public Repo visibleNow(Caller caller, String org, String name) {
        return visible(caller, org, name).await().indefinitely();
    }

    public Uni<Repo> byId(long id) {
        return repos.findById(pool, id).map(repo -> {
            if (repo == null) {
                throw new NotFoundException("Repository not found");
            }
            return repo;
        });
    }

    public Uni<Repo> byName(String org, String name) {
        return repos.findByName(pool, org, name).map(repo -> {
            if (repo == null) {
                throw new NotFoundException("Repository not found");
            }
            return repo;
        });
    }

    public Uni<Repo> create(Caller caller, String org, CreateRepoRequest request) {
        Long orgId = caller.orgId();
        if (orgId == null) {
            throw new ValidationException("the organization '" + org + "' is unknown to the gateway (no org id in the request)");
        }
        return create(caller, orgId, org, request);
    }

    /**
     * Creates a repository in an organization whose id the caller resolved itself (compatibility APIs
     * that name the organization in the body, where the gateway sets no org id).
     */
    public Uni<Repo> create(Caller caller, long orgId, String org, CreateRepoRequest request) {
        return create(caller, orgId, org, request, (tx, repo) -> Uni.createFrom().voidItem());
    }

    /**
     * As above, with {@code more} run in the same transaction once the row and the empty git
     * repository exist (compatibility data such as a Pagure fork's parent and its git objects), so a
     * failure there leaves neither row nor files behind.
     */
    public Uni<Repo> create(Caller caller, long orgId, String org, CreateRepoRequest request,
                            BiFunction<SqlConnection, Repo, Uni<Void>> more) {
        String name = RepoNames.requireValidName(request.name());
        String branch = request.defaultBranch() == null ? config.defaultBranch()
                : RepoNames.requireValidBranch("default_branch", request.defaultBranch());
        String description = request.description() == null ? "" : request.description();
        boolean isPrivate = Boolean.TRUE.equals(request.isPrivate());
        AtomicLong created = new AtomicLong(-1);
        return pool.withTransaction(tx -> repos.findByName(tx, org, name)
                        .chain(existing -> {
                            if (existing != null) {
                                throw duplicate(org, name);
                            }
                            return repos.insert(tx, orgId, org, name, description, isPrivate, branch);
                        })
                        .chain(repo -> Workers.run(() -> {
                            git.create(repo.id(), branch);
                            created.set(repo.id());
                            return repo;
                        }))
                        .call(repo -> more.apply(tx, repo))
                        .call(repo -> outbox.append(tx, EventTypes.REPO_CREATED, actor(caller), repo.ref(), repo.changed(), repo.id())))
                .onFailure(RepoService::isUniqueViolation).transform(e -> duplicate(org, name))
                .onFailure().call(e -> created.get() < 0 ? Uni.createFrom().voidItem()
                        : Workers.run(() -> {
                            git.delete(created.get());
                            return null;
                        }).replaceWithVoid());
    }

    public Uni<Repo> update(Caller caller, String org, String name, UpdateRepoRequest request) {
        String newBranch = request.defaultBranch() == null ? null
                : RepoNames.requireValidBranch("default_branch", request.defaultBranch());
        return pool.withTransaction(tx -> repos.findByName(tx, org, name)
                .chain(repo -> {
                    if (repo == null) {
                        throw new NotFoundException("Repository not found");
                    }
                    String description = request.description() == null ? repo.description() : request.description();
                    boolean isPrivate = request.isPrivate() == null ? repo.isPrivate() : request.isPrivate();
                    String branch = newBranch == null ? repo.defaultBranch() : newBranch;
                    return repos.update(tx, repo.id(), description, isPrivate, branch);
                })
                .call(repo -> newBranch == null ? Uni.createFrom().voidItem() : Workers.run(() -> {
                    try {
                        git.pointHead(git.open(repo.id()), newBranch);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                }).replaceWithVoid())
                .call(repo -> outbox.append(tx, EventTypes.REPO_UPDATED, actor(caller), repo.ref(), repo.changed(), repo.id())))
                // committed: this process answers with the new row at once, before PostgreSQL's announcement arrives
                .invoke(repo -> rows.changed(repo.id()));
    }

    public Uni<Void> delete(Caller caller, String org, String name) {
        return pool.withTransaction(tx -> repos.findByName(tx, org, name)
                        .chain(repo -> {
                            if (repo == null) {
                                throw new NotFoundException("Repository not found");
                            }
                            return repos.delete(tx, repo.id())
                                    .chain(() -> outbox.append(tx, EventTypes.REPO_DELETED, actor(caller), repo.ref(),
                                            repo.changed(), repo.id()))
                                    .replaceWith(repo);
                        }))
                .invoke(repo -> rows.changed(repo.id()))
                // The row is gone (the repository is unreachable) before its files go.
                .chain(repo -> Workers.run(() -> {
                    ReentrantLock lock = git.lock(repo.id());
                    lock.lock();
                    try {
                        git.delete(repo.id());
                        GitStore.deleteTree(git.root().resolve("assets").resolve(String.valueOf(repo.id())));
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "repository %d deleted, but its files could not be removed", repo.id());
                    } finally {
                        lock.unlock();
                    }
                    return null;
                }))
                .replaceWithVoid();
    }

    public static EventEnvelope.Actor actor(Caller caller) {
        return new EventEnvelope.Actor(caller.userId(), caller.login());
    }

    private static ConflictException duplicate(String org, String name) {
        return new ConflictException("a repository named '" + name + "' already exists in " + org
                + " (names are compared without regard to case)");
    }

    private static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
