package dev.shoal.pipeline.agent.service;

import dev.shoal.pipeline.PipelineSettings;
import dev.shoal.pipeline.agent.Agent;
import dev.shoal.pipeline.agent.Work;
import dev.shoal.pipeline.notify.Notifications;
import dev.shoal.pipeline.pipeline.CommitFacts;
import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.Statuses;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.pipeline.service.PipelineEvents;
import dev.shoal.pipeline.registry.RegistryCredential;
import dev.shoal.pipeline.registry.service.RegistryService;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.secret.service.SecretService;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.ForbiddenException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.identity.InternalTokens;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The job queue as the agents see it.
 *
 * <ul>
 * <li>{@link #poll}: claims the oldest pending pipeline the agent's labels and platform fit, with
 * {@code FOR UPDATE SKIP LOCKED} so concurrent polls never get the same one; sets a lease.
 * With {@code wait > 0} it waits (without holding a thread) until work arrives or time is up.</li>
 * <li>{@link #heartbeat}: renews the leases of the agent's running pipelines and tells it which of
 * them were cancelled since its last heartbeat.</li>
 * <li>A reaper returns pipelines whose lease expired to {@code pending}: no pipeline stays
 * {@code running} with no agent.</li>
 * <li>Status updates are accepted only from the agent holding the pipeline.</li>
 * </ul>
 */
@ApplicationScoped
public class QueueService {

    private static final Logger LOG = Logger.getLogger(QueueService.class);
    private static final Duration RECHECK = Duration.ofSeconds(1);
    private static final EventEnvelope.Actor SYSTEM = new EventEnvelope.Actor(null, "shoal-ci");
    /** Long enough for steps that fetch again later in the pipeline; a pipeline's clone credential dies with it soon after. */
    private static final Duration CLONE_CREDENTIAL_LIFETIME = Duration.ofHours(1);
    /** The pipeline's {@code error} an agent may set: a reason, not a log. */
    private static final int MAX_ERROR = 2000;

    private final Pool pool;
    private final PipelineRepository pipelines;
    private final PipelineEvents events;
    private final RepoDirectory repos;
    private final SecretService secrets;
    private final Notifications notifications;
    private final PipelineSettings settings;
    private final Vertx vertx;
    private final String publicUrl;
    private final InternalTokens tokens;
    private final RegistryService registries;
    private long reaperTimer = -1;

    public QueueService(Pool pool, PipelineRepository pipelines, PipelineEvents events, RepoDirectory repos,
                        SecretService secrets, Notifications notifications, PipelineSettings settings, Vertx vertx,
                        PublicUrl publicUrl, InternalTokens tokens, RegistryService registries) {
        this.registries = registries;
        this.pool = pool;
        this.pipelines = pipelines;
        this.events = events;
        this.repos = repos;
        this.secrets = secrets;
        this.notifications = notifications;
        this.settings = settings;
        this.vertx = vertx;
        this.publicUrl = publicUrl.base();
        this.tokens = tokens;
    }

    void start(@Observes StartupEvent event) {
        reaperTimer = vertx.setPeriodic(settings.leaseCheckInterval().toMillis(),
                id -> reapExpiredLeases().subscribe().with(
                        n -> {
                            if (n > 0) {
                                LOG.infof("returned %d pipeline(s) with expired leases to the queue", n);
                            }
                        },
                        e -> LOG.warnf("lease check failed: %s", e.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (reaperTimer >= 0) {
            vertx.cancelTimer(reaperTimer);
        }
    }

    // --- poll -------------------------------------------------------------------------------------

    public Uni<Optional<Work>> poll(Agent agent, String rawWait) {
        int wait = parseWait(rawWait);
        long deadline = System.nanoTime() + Duration.ofSeconds(wait).toNanos();
        return touch(agent).chain(() -> pollUntil(agent, deadline));
    }

    private Uni<Optional<Work>> pollUntil(Agent agent, long deadline) {
        CompletableFuture<Void> wake = notifications.register(Notifications.QUEUE, "");
        return claim(agent).chain(work -> {
            long left = deadline - System.nanoTime();
            if (work.isPresent() || left <= 0) {
                notifications.forget(Notifications.QUEUE, "", wake);
                return Uni.createFrom().item(work);
            }
            Duration pause = Duration.ofNanos(Math.min(left, RECHECK.toNanos()));
            return notifications.await(Notifications.QUEUE, "", wake, pause).chain(() -> pollUntil(agent, deadline));
        });
    }

    private int parseWait(String raw) {
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        int max = settings.maxPollWait();
        try {
            int wait = Integer.parseInt(raw.trim());
            if (wait >= 0 && wait <= max) {
                return wait;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ValidationException("wait must be a whole number of seconds from 0 to " + max);
    }

    private Uni<Optional<Work>> claim(Agent agent) {
        JsonObject labels = new JsonObject(new LinkedHashMap<>(agent.labels()));
        if (agent.noSchedule()) {
            return Uni.createFrom().item(Optional.empty());
        }
        // A paused queue hands out nothing; an organization's agent takes only that organization's pipelines.
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT id FROM pipeline WHERE status = 'pending' "
                                + "AND $1::jsonb @> labels "
                                + "AND (platform IS NULL OR platform = $2 OR $2 LIKE platform || '/%') "
                                + "AND NOT EXISTS (SELECT 1 FROM queue_state WHERE paused) "
                                + "AND ($3::bigint IS NULL OR repo_id IN (SELECT id FROM repos WHERE org_id = $3)) "
                                + "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")
                        .execute(Tuple.of(labels, agent.platform(), agent.orgId()))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().item(Optional.<Work>empty());
                            }
                            long id = rows.iterator().next().getLong("id");
                            return tx.preparedQuery("UPDATE pipeline SET status = 'running', agent_id = $2, started_at = now(), "
                                            + "lease_expires_at = now() + make_interval(secs => $3), cancel_delivered = true WHERE id = $1")
                                    .execute(Tuple.of(id, agent.id(), (double) settings.lease().toMillis() / 1000d))
                                    .call(() -> tx.preparedQuery("UPDATE agent SET last_work_at = now() WHERE id = $1")
                                            .execute(Tuple.of(agent.id())))
                                    .call(() -> events.emit(tx, EventTypes.PIPELINE_STATUS_CHANGED, id, SYSTEM, null))
                                    .chain(() -> work(tx, id))
                                    .map(Optional::of);
                        }));
    }

    private Uni<Work> work(SqlClient tx, long pipelineId) {
        return pipelines.byId(tx, pipelineId, false).map(Optional::orElseThrow).chain(p -> pipelines.steps(tx, pipelineId)
                .chain(steps -> repos.byId(tx, p.repoId()).chain(found -> {
                    Repo repo = found.orElseThrow(() -> new IllegalStateException("pipeline " + pipelineId
                            + " belongs to unknown repository " + p.repoId()));
                    // Registry credentials only for the registries the steps' images come from.
                    return secrets.secretsFor(tx, repo, p.event(), p.fork())
                            .chain(values -> registries.forImages(tx, repo, steps.stream().map(StepRow::image)
                                            .filter(java.util.Objects::nonNull).toList())
                                    .map(credentials -> work(p, steps, repo, values, credentials)));
                })));
    }

    private Work work(PipelineRow p, List<StepRow> steps, Repo repo, Map<String, SecretService.SecretValue> secretValues,
                      List<RegistryCredential> credentials) {
        List<Work.Step> out = new ArrayList<>();
        for (StepRow s : steps) {
            Map<String, String> env = new LinkedHashMap<>(p.variables());
            env.putAll(s.environment());
            s.secrets().forEach((envName, secretName) -> {
                SecretService.SecretValue secret = secretValues.get(secretName);
                // A secret limited to some images reaches only steps that run one of them.
                if (secret != null && secret.allows(s.image())) {
                    env.put(envName, secret.value());
                }
            });
            out.add(new Work.Step(s.id(), s.number(), s.name(), s.image(), s.commands(), env, s.status(),
                    s.dependsOn(), s.runOn()));
        }
        Map<String, String> ci = new LinkedHashMap<>();
        ci.put("CI", "true");
        ci.put("CI_PIPELINE_ID", String.valueOf(p.id()));
        ci.put("CI_COMMIT", p.commitNode());
        ci.put("CI_BRANCH", p.branch());
        ci.put("CI_REPO", repo.fullName());
        ci.putAll(commitEnvironment(p.commitFacts()));
        Work.PullRequest pr = null;
        if (p.isPullRequest()) {
            pr = new Work.PullRequest(p.pullRequest(), p.branch(), p.targetBranch(), p.title() == null ? "" : p.title(),
                    p.fork());
            ci.putAll(pullRequestEnvironment(p));
        }
        return new Work(p.id(), p.number(), p.commitNode(), p.branch(), p.event(),
                publicUrl + "/" + repo.org() + "/" + repo.name() + ".git",
                tokens.forClone(repo.id(), p.id(), CLONE_CREDENTIAL_LIFETIME), repo.org(), repo.name(), out, ci, pr,
                credentials);
    }

    /** The built commit's message and author under Woodpecker's and Drone's names, when the pipeline knows them. */
    static Map<String, String> commitEnvironment(CommitFacts facts) {
        Map<String, String> env = new LinkedHashMap<>();
        if (facts.message() != null) {
            env.put("CI_COMMIT_MESSAGE", facts.message());
            env.put("DRONE_COMMIT_MESSAGE", facts.message());
        }
        if (facts.authorName() != null) {
            env.put("CI_COMMIT_AUTHOR", facts.authorName());
            env.put("DRONE_COMMIT_AUTHOR_NAME", facts.authorName());
        }
        if (facts.authorEmail() != null) {
            env.put("CI_COMMIT_AUTHOR_EMAIL", facts.authorEmail());
            env.put("DRONE_COMMIT_AUTHOR_EMAIL", facts.authorEmail());
        }
        return env;
    }

    /**
     * The variables Woodpecker and Drone steps read in pull request pipelines. As in both, the
     * "commit branch" of a pull request is its target branch; the source branch has its own names.
     */
    static Map<String, String> pullRequestEnvironment(PipelineRow p) {
        String number = String.valueOf(p.pullRequest());
        String target = p.targetBranch() == null ? "" : p.targetBranch();
        String title = p.title() == null ? "" : p.title();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI_COMMIT_PULL_REQUEST", number);
        env.put("CI_COMMIT_SOURCE_BRANCH", p.branch());
        env.put("CI_COMMIT_TARGET_BRANCH", target);
        env.put("CI_COMMIT_BRANCH", target);
        env.put("CI_COMMIT_REF", p.ref());
        env.put("CI_COMMIT_REFSPEC", p.branch() + ":" + target);
        env.put("CI_PIPELINE_EVENT", p.event());
        env.put("DRONE_PULL_REQUEST", number);
        env.put("DRONE_PULL_REQUEST_TITLE", title);
        env.put("DRONE_SOURCE_BRANCH", p.branch());
        env.put("DRONE_TARGET_BRANCH", target);
        env.put("DRONE_BRANCH", target);
        env.put("DRONE_COMMIT_BRANCH", target);
        env.put("DRONE_COMMIT_REF", p.ref());
        env.put("DRONE_BUILD_EVENT", p.event());
        return env;
    }

    private Uni<Void> touch(Agent agent) {
        return pool.preparedQuery("UPDATE agent SET last_seen_at = now() WHERE id = $1").execute(Tuple.of(agent.id()))
                .replaceWithVoid();
    }

    // --- heartbeat --------------------------------------------------------------------------------

    /**
     * Renews the agent's leases (of the pipelines in {@code running} only, when the agent says which
     * it runs: the others it lost, by a crash, and they expire); answers the ids of its pipelines
     * cancelled since the last heartbeat.
     */
    public Uni<List<Long>> heartbeat(Agent agent, List<Long> running) {
        double lease = (double) settings.lease().toMillis() / 1000d;
        return pool.withTransaction(tx -> touch(agent)
                .chain(() -> running == null
                        ? tx.preparedQuery("UPDATE pipeline SET lease_expires_at = now() + make_interval(secs => $2) "
                                + "WHERE agent_id = $1 AND status = 'running'").execute(Tuple.of(agent.id(), lease))
                        : tx.preparedQuery("UPDATE pipeline SET lease_expires_at = now() + make_interval(secs => $2) "
                                + "WHERE agent_id = $1 AND status = 'running' AND id = ANY($3)")
                                .execute(Tuple.of(agent.id(), lease, running.toArray(Long[]::new))))
                .chain(() -> tx.preparedQuery("UPDATE pipeline SET cancel_delivered = true "
                                + "WHERE agent_id = $1 AND status = 'cancelled' AND NOT cancel_delivered RETURNING id")
                        .execute(Tuple.of(agent.id())))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getLong("id")));
                    ids.sort(null);
                    return ids;
                }));
    }

    // --- status updates ---------------------------------------------------------------------------

    public Uni<Void> stepStatus(Agent agent, String rawStepId, String status, Integer exitCode, Instant startedAt,
                                Instant finishedAt) {
        if (status == null || !Statuses.STEP.contains(status)) {
            throw new ValidationException("status must be one of " + String.join(", ", Statuses.STEP));
        }
        long stepId = id(rawStepId, "step");
        return pool.withTransaction(tx -> heldStep(tx, agent, stepId).chain(step -> {
            long pipelineId = step.pipelineId();
            Instant now = Instant.now();
            Instant started = startedAt != null ? startedAt
                    : step.startedAt() != null ? step.startedAt() : Statuses.PENDING.equals(status) ? null : now;
            Instant finished = Statuses.isFinished(status) ? (finishedAt != null ? finishedAt : now) : null;
            return tx.preparedQuery("UPDATE step SET status = $2, exit_code = $3, started_at = $4, finished_at = $5 WHERE id = $1")
                    .execute(Tuple.of(stepId, status, exitCode, PipelineRepository.offset(started),
                            PipelineRepository.offset(finished)))
                    .call(() -> finished == null ? Uni.createFrom().voidItem() : pipelines.flushLogCarry(tx, pipelineId, stepId))
                    .call(() -> events.emit(tx, EventTypes.STEP_STATUS_CHANGED, pipelineId, SYSTEM, step.number()))
                    .call(() -> notifications.notify(tx, Notifications.LOG, String.valueOf(stepId)));
        })).invoke(() -> notifications.signal(Notifications.LOG, String.valueOf(stepId))).replaceWithVoid();
    }

    /** @param error the agent's reason for a pipeline that could not run, kept (abbreviated) as its {@code error} */
    public Uni<Void> pipelineStatus(Agent agent, String rawPipelineId, String status, Instant finishedAt, String error) {
        if (status == null || !Statuses.PIPELINE.contains(status)) {
            throw new ValidationException("status must be one of " + String.join(", ", Statuses.PIPELINE));
        }
        String reason = error == null || error.isBlank() ? null
                : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) + "…" : error.strip();
        long pipelineId = id(rawPipelineId, "pipeline");
        return pool.withTransaction(tx -> pipelines.byId(tx, pipelineId, true)
                .map(found -> found.orElseThrow(() -> new NotFoundException("pipeline " + pipelineId + " not found")))
                .chain(p -> held(tx, agent, p.id()))
                .chain(p -> {
                    if (Statuses.RUNNING.equals(status)) {
                        return Uni.createFrom().voidItem();
                    }
                    if (Statuses.PENDING.equals(status)) {
                        // The agent gives the work back: it runs again elsewhere from the start.
                        return pipelines.requeue(tx, p.id())
                                .call(() -> events.emit(tx, EventTypes.PIPELINE_STATUS_CHANGED, p.id(), SYSTEM, null))
                                .call(() -> notifications.notify(tx, Notifications.QUEUE, ""));
                    }
                    Instant finished = finishedAt != null ? finishedAt : Instant.now();
                    String leftover = Statuses.CANCELLED.equals(status) ? Statuses.CANCELLED : Statuses.SKIPPED;
                    return tx.preparedQuery("UPDATE pipeline SET status = $2, finished_at = $3, lease_expires_at = NULL, "
                                    + "error = COALESCE($4, error) WHERE id = $1")
                            .execute(Tuple.of(p.id(), status, PipelineRepository.offset(finished), reason))
                            .chain(() -> tx.preparedQuery("UPDATE step SET status = CASE WHEN status = 'running' "
                                            + "THEN (CASE WHEN $2 = 'cancelled' THEN 'cancelled' ELSE 'failure' END) ELSE $2 END, "
                                            + "finished_at = CASE WHEN status = 'running' THEN now() END "
                                            + "WHERE pipeline_id = $1 AND status IN ('pending', 'running')")
                                    .execute(Tuple.of(p.id(), leftover)))
                            .call(() -> pipelines.flushLogCarry(tx, p.id(), null))
                            .call(() -> events.emit(tx, EventTypes.PIPELINE_STATUS_CHANGED, p.id(), SYSTEM, null))
                            .replaceWithVoid();
                }));
    }

    /**
     * A step of a pipeline this agent holds, locked for an update. The pipeline is locked before the
     * step, the order cancel and the lease reaper take them in: a step status or log append racing a
     * cancel of the same pipeline then waits instead of deadlocking (which answered the cancel with a 500).
     */
    public Uni<StepRow> heldStep(SqlClient tx, Agent agent, long stepId) {
        return pipelines.step(tx, stepId, false)
                .map(found -> found.orElseThrow(() -> new NotFoundException("step " + stepId + " not found")))
                .call(step -> held(tx, agent, step.pipelineId()))
                .chain(step -> pipelines.step(tx, stepId, true))
                .map(found -> found.orElseThrow(() -> new NotFoundException("step " + stepId + " not found")));
    }

    /** The pipeline, if this agent holds it and it still runs: 403 for another agent's, 409 once it has finished. */
    public Uni<PipelineRow> held(SqlClient tx, Agent agent, long pipelineId) {
        return pipelines.byId(tx, pipelineId, true).map(found -> {
            PipelineRow p = found.orElseThrow(() -> new NotFoundException("pipeline " + pipelineId + " not found"));
            if (p.agentId() == null || p.agentId() != agent.id()) {
                throw new ForbiddenException("pipeline " + pipelineId + " is not held by this agent"
                        + (Statuses.PENDING.equals(p.status()) ? " (its lease expired and it went back to the queue)" : ""));
            }
            if (!Statuses.RUNNING.equals(p.status())) {
                throw new ConflictException("pipeline " + pipelineId + " is " + p.status() + "; stop working on it");
            }
            return p;
        });
    }

    // --- lease expiry -----------------------------------------------------------------------------

    /** Returns every running pipeline whose lease expired to the queue; answers how many. */
    public Uni<Integer> reapExpiredLeases() {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT id FROM pipeline WHERE status = 'running' "
                                + "AND lease_expires_at < now() ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED")
                        .execute()
                        .chain(rows -> {
                            List<Long> ids = new ArrayList<>();
                            rows.forEach(r -> ids.add(r.getLong("id")));
                            Uni<Void> chain = Uni.createFrom().voidItem();
                            for (long id : ids) {
                                chain = chain.chain(() -> pipelines.requeue(tx, id))
                                        .chain(() -> events.emit(tx, EventTypes.PIPELINE_STATUS_CHANGED, id, SYSTEM, null));
                            }
                            return ids.isEmpty() ? chain.replaceWith(0)
                                    : chain.chain(() -> notifications.notify(tx, Notifications.QUEUE, "")).replaceWith(ids.size());
                        }));
    }

    private static long id(String raw, String what) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new NotFoundException(what + " '" + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "' not found");
    }
}
