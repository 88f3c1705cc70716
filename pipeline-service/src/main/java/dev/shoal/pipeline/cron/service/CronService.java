package dev.shoal.pipeline.cron.service;

import dev.shoal.pipeline.PipelineSettings;
import dev.shoal.pipeline.cron.Cron;
import dev.shoal.pipeline.cron.CronSchedule;
import dev.shoal.pipeline.pipeline.Trigger;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.pipeline.service.PipelineService;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.client.RepoContentClient;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Cron schedules and the scheduler that runs them. A schedule whose time passed while the service
 * was down runs once when it is next checked (at start), then continues from the present.
 */
@ApplicationScoped
public class CronService {

    private static final Logger LOG = Logger.getLogger(CronService.class);
    private static final String COLUMNS = "id, repo_id, name, schedule, branch, next_run_at, last_run_at, created_by, "
            + "created_by_username, created_at, updated_at";

    private final Pool pool;
    private final RepoDirectory repos;
    private final RepoContentClient repoContent;
    private final PipelineService pipelines;
    private final PipelineSettings settings;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public CronService(Pool pool, RepoDirectory repos, RepoContentClient repoContent,
                       PipelineService pipelines, PipelineSettings settings, Vertx vertx) {
        this.pool = pool;
        this.repos = repos;
        this.repoContent = repoContent;
        this.pipelines = pipelines;
        this.settings = settings;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        vertx.setTimer(1_000, id -> tick());
        timer = vertx.setPeriodic(settings.cronCheckInterval().toMillis(), id -> tick());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        runDue().subscribe().with(n -> running.set(false), e -> {
            running.set(false);
            LOG.warnf("cron check failed: %s", e.getMessage());
        });
    }

    public Uni<List<Cron>> list(Caller caller, String org, String name) {
        return repos.require(org, name, caller.repoId()).chain(this::list);
    }

    public Uni<List<Cron>> list(Repo repo) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM cron WHERE repo_id = $1 ORDER BY name")
                .execute(Tuple.of(repo.id()))
                .map(rows -> {
                    List<Cron> list = new ArrayList<>();
                    rows.forEach(r -> list.add(view(r)));
                    return list;
                });
    }

    public Uni<Cron> get(Repo repo, String rawId) {
        long id = id(rawId);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM cron WHERE id = $1 AND repo_id = $2")
                .execute(Tuple.of(id, repo.id()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("cron " + id + " not found in " + repo.fullName());
                    }
                    return view(rows.iterator().next());
                });
    }

    /**
     * Runs a schedule now, whatever its next time: a {@code cron} pipeline from the head of its
     * branch (the schedule itself is not moved). 422 when the commit has no pipeline to run.
     */
    public Uni<dev.shoal.pipeline.pipeline.PipelineRow> runNow(Repo repo, String rawId) {
        long id = id(rawId);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM cron WHERE id = $1 AND repo_id = $2")
                .execute(Tuple.of(id, repo.id()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("cron " + id + " not found in " + repo.fullName());
                    }
                    Row cron = rows.iterator().next();
                    String branch = cron.getString("branch") == null ? repo.defaultBranch() : cron.getString("branch");
                    return repoContent.resolve(repo.id(), "refs/heads/" + branch).chain(sha -> {
                        if (sha.isEmpty()) {
                            throw new NotFoundException("branch '" + branch + "' of cron " + id + " not found in " + repo.fullName());
                        }
                        Trigger trigger = new Trigger("cron", branch, "refs/heads/" + branch, sha.get(),
                                cron.getLong("created_by"), cron.getString("created_by_username"), false);
                        return pipelines.configFor(pool, repo, trigger).chain(config -> {
                            if (config.isEmpty()) {
                                throw new dev.shoal.platform.error.ApiException(422, "no_pipeline_file", "the head of '" + branch
                                        + "' holds no pipeline file, or CI does not run cron pipelines for " + repo.fullName());
                            }
                            return pool.withTransaction(tx -> pipelines.create(tx, repo, trigger, config.get())
                                    .call(() -> tx.preparedQuery("UPDATE cron SET last_run_at = now() WHERE id = $1").execute(Tuple.of(id))));
                        }).map(created -> created.orElseThrow(() -> new dev.shoal.platform.error.ApiException(422, "no_steps",
                                "the pipeline file on '" + branch + "' runs no step for cron")));
                    });
                });
    }

    public Uni<Cron> create(Caller caller, String org, String repoName, String name, String schedule, String branch) {
        return repos.require(org, repoName, caller.repoId()).chain(repo -> create(caller, repo, name, schedule, branch));
    }

    public Uni<Cron> create(Caller caller, Repo repo, String name, String schedule, String branch) {
        validateName(name);
        CronSchedule parsed = schedule(schedule);
        validateBranch(branch);
        return Uni.createFrom().item(repo).chain(r -> pool
                .preparedQuery("INSERT INTO cron (repo_id, name, schedule, branch, next_run_at, created_by, created_by_username) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] {repo.id(), name, parsed.text(), branch,
                        PipelineRepository.offset(parsed.next(Instant.now())), caller.userId(), caller.login()}))
                .map(rows -> view(rows.iterator().next()))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? new ConflictException("a cron named '" + name + "' already exists in " + repo.fullName()) : e));
    }

    public Uni<Cron> update(Caller caller, String org, String repoName, String rawId, String name, String schedule,
                            String branch) {
        return repos.require(org, repoName, caller.repoId()).chain(repo -> update(repo, rawId, name, schedule, branch));
    }

    public Uni<Cron> update(Repo repo, String rawId, String name, String schedule, String branch) {
        long id = id(rawId);
        if (name == null && schedule == null && branch == null) {
            throw new ValidationException("send 'name', 'schedule' and/or 'branch' to change");
        }
        if (name != null) {
            validateName(name);
        }
        CronSchedule parsed = schedule == null ? null : schedule(schedule);
        validateBranch(branch);
        return Uni.createFrom().item(repo).chain(r -> pool
                .preparedQuery("UPDATE cron SET name = COALESCE($3, name), schedule = COALESCE($4, schedule), "
                        + "branch = COALESCE($5, branch), next_run_at = COALESCE($6, next_run_at), updated_at = now() "
                        + "WHERE id = $1 AND repo_id = $2 RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] {id, repo.id(), name, parsed == null ? null : parsed.text(), branch,
                        parsed == null ? null : PipelineRepository.offset(parsed.next(Instant.now()))}))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("cron " + id + " not found in " + repo.fullName());
                    }
                    return view(rows.iterator().next());
                })
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? new ConflictException("a cron named '" + name + "' already exists in " + repo.fullName()) : e));
    }

    public Uni<Void> delete(Caller caller, String org, String repoName, String rawId) {
        return repos.require(org, repoName, caller.repoId()).chain(repo -> delete(repo, rawId));
    }

    public Uni<Void> delete(Repo repo, String rawId) {
        long id = id(rawId);
        return Uni.createFrom().item(repo).chain(r -> pool
                .preparedQuery("DELETE FROM cron WHERE id = $1 AND repo_id = $2").execute(Tuple.of(id, repo.id()))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("cron " + id + " not found in " + repo.fullName());
                    }
                    return null;
                }));
    }

    /** Runs every due schedule once; answers how many ran. Each runs in its own transaction. */
    public Uni<Integer> runDue() {
        return runOne().chain(ran -> ran ? runDue().map(n -> n + 1) : Uni.createFrom().item(0));
    }

    private Uni<Boolean> runOne() {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + COLUMNS + " FROM cron WHERE next_run_at <= now() "
                        + "ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED").execute()
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    Row row = rows.iterator().next();
                    long id = row.getLong("id");
                    Instant next = CronSchedule.parse(row.getString("schedule")).next(Instant.now());
                    Uni<Void> advance = tx.preparedQuery("UPDATE cron SET next_run_at = $2, last_run_at = now() WHERE id = $1")
                            .execute(Tuple.of(id, PipelineRepository.offset(next))).replaceWithVoid();
                    return repos.byId(tx, row.getLong("repo_id")).chain(repo -> {
                        if (repo.isEmpty()) {
                            return advance;
                        }
                        return launch(tx, repo.get(), row).onFailure().invoke(e -> LOG.warnf("cron %d of %s did not start: %s",
                                id, repo.get().fullName(), e.getMessage())).onFailure().recoverWithNull().chain(() -> advance);
                    }).replaceWith(true);
                }));
    }

    private Uni<Void> launch(io.vertx.mutiny.sqlclient.SqlConnection tx, Repo repo, Row cron) {
        String branch = cron.getString("branch") == null ? repo.defaultBranch() : cron.getString("branch");
        return repoContent.resolve(repo.id(), "refs/heads/" + branch).chain(sha -> {
            if (sha.isEmpty()) {
                return Uni.createFrom().failure(new NotFoundException("branch " + branch + " not found"));
            }
            Trigger trigger = new Trigger("cron", branch, "refs/heads/" + branch, sha.get(), cron.getLong("created_by"),
                    cron.getString("created_by_username"), false);
            return pipelines.configFor(tx, repo, trigger).chain(config -> config.isEmpty() ? Uni.createFrom().voidItem()
                    : pipelines.create(tx, repo, trigger, config.get()).replaceWithVoid());
        });
    }

    private static CronSchedule schedule(String schedule) {
        try {
            return CronSchedule.parse(schedule);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("schedule: " + e.getMessage());
        }
    }

    private static void validateName(String name) {
        if (name == null || name.isBlank() || name.length() > 100 || name.chars().anyMatch(c -> c < 0x20)) {
            throw new ValidationException("name must be 1-100 printable characters");
        }
    }

    private static void validateBranch(String branch) {
        if (branch != null && (branch.isBlank() || branch.length() > 255 || branch.contains("..")
                || branch.startsWith("/") || branch.chars().anyMatch(c -> c < 0x20))) {
            throw new ValidationException("branch must be a branch name (1-255 characters, no '..', no control characters)");
        }
    }

    private static long id(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new NotFoundException("cron '" + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "' not found");
        }
    }

    private static Cron view(Row r) {
        return new Cron(r.getLong("id"), r.getString("name"), r.getString("schedule"), r.getString("branch"),
                PipelineRepository.instant(r.getOffsetDateTime("next_run_at")),
                PipelineRepository.instant(r.getOffsetDateTime("last_run_at")),
                PipelineRepository.instant(r.getOffsetDateTime("created_at")),
                PipelineRepository.instant(r.getOffsetDateTime("updated_at")), r.getLong("repo_id"), r.getLong("created_by"));
    }
}
