package dev.shoal.pipeline.log.service;

import dev.shoal.pipeline.agent.Agent;
import dev.shoal.pipeline.agent.service.QueueService;
import dev.shoal.pipeline.log.LogEvent;
import dev.shoal.pipeline.notify.Notifications;
import dev.shoal.pipeline.pipeline.Statuses;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.registry.service.RegistryService;
import dev.shoal.pipeline.secret.service.SecretService;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.PayloadTooLargeException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Step logs: appended by agents in chunks (secrets masked before anything is stored), read whole
 * as a stream of chunks, or followed live. Chunks live in {@code log_chunk}, apart from the hot
 * pipeline and step rows.
 */
@ApplicationScoped
public class LogService {

    public static final int MAX_APPEND_BYTES = 1024 * 1024;
    private static final int PAGE = 64;
    /** Followers re-check this often even without a wake-up, which bounds the latency of a lost one. */
    private static final Duration FOLLOW_RECHECK = Duration.ofMillis(250);

    private final Pool pool;
    private final PipelineRepository pipelines;
    private final QueueService queue;
    private final RepoDirectory repos;
    private final SecretService secrets;
    private final Notifications notifications;
    private final RegistryService registries;

    public LogService(Pool pool, PipelineRepository pipelines, QueueService queue, RepoDirectory repos,
                      SecretService secrets, Notifications notifications, RegistryService registries) {
        this.registries = registries;
        this.pool = pool;
        this.pipelines = pipelines;
        this.queue = queue;
        this.repos = repos;
        this.secrets = secrets;
        this.notifications = notifications;
    }

    /**
     * Appends text to a step's log for the agent holding its pipeline. Secrets, registry passwords and
     * the agent's own token are masked first; the end of a chunk that could be the start of one of them
     * waits in {@code step.log_carry} for the next append (see {@link LogMask}).
     */
    public Uni<Void> append(Agent agent, String agentToken, long stepId, byte[] body) {
        if (body == null || body.length == 0) {
            return Uni.createFrom().voidItem();
        }
        if (body.length > MAX_APPEND_BYTES) {
            throw new PayloadTooLargeException("a log append may hold at most 1 MiB (" + MAX_APPEND_BYTES
                    + " bytes); got " + body.length + ": send it in smaller parts");
        }
        return pool.withTransaction(tx -> queue.heldStep(tx, agent, stepId).chain(step -> {
            return pipelines.byId(tx, step.pipelineId(), false)
                    .chain(p -> repos.byId(tx, p.orElseThrow().repoId()))
                    .chain(repo -> maskedValues(tx, repo, agentToken))
                    .chain(values -> pipelines.logCarry(tx, stepId).chain(carry -> {
                        LogMask.Result masked = LogMask.of(values).apply(carry, body);
                        return pipelines.appendLog(tx, stepId, masked.stored(), masked.carry());
                    }))
                    .call(() -> notifications.notify(tx, Notifications.LOG, String.valueOf(stepId)));
        })).invoke(() -> notifications.signal(Notifications.LOG, String.valueOf(stepId))).replaceWithVoid();
    }

    /** Registry passwords are masked as secrets are (a step could print its Docker config), and so is the agent's token. */
    private Uni<List<String>> maskedValues(SqlClient tx, Optional<Repo> repo, String agentToken) {
        Uni<List<String>> stored = repo.isEmpty() ? Uni.createFrom().item(List.<String>of())
                : secrets.allValues(tx, repo.get()).chain(values -> registries.allPasswords(tx, repo.get()).map(passwords -> {
                    List<String> all = new ArrayList<>(values);
                    all.addAll(passwords);
                    return all;
                }));
        return stored.map(values -> {
            List<String> all = new ArrayList<>(values);
            if (agentToken != null) {
                all.add(agentToken);
            }
            return all;
        });
    }

    /** The step a public route names: repository, pipeline number, step number. */
    public Uni<StepRow> step(Caller caller, String org, String name, String pipelineNumber, String stepNumber) {
        long pn = number(pipelineNumber, "pipeline number");
        long sn = number(stepNumber, "step number");
        return repos.require(org, name, caller.repoId())
                .chain(repo -> pipelines.byNumber(pool, repo.id(), pn, false).map(p -> p.orElseThrow(() ->
                        new NotFoundException("pipeline #" + pn + " not found in " + repo.fullName()))))
                .chain(p -> pipelines.stepByNumber(pool, p.id(), sn).map(s -> s.orElseThrow(() ->
                        new NotFoundException("step " + sn + " not found in pipeline #" + pn))));
    }

    /** The whole log, chunk by chunk, without holding it in memory. */
    public Multi<byte[]> read(long stepId) {
        AtomicInteger next = new AtomicInteger();
        return Multi.createBy().repeating()
                .uni(() -> pool.preparedQuery("SELECT seq, bytes FROM log_chunk WHERE step_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3")
                        .execute(Tuple.of(stepId, next.get(), PAGE))
                        .map(rows -> {
                            List<byte[]> page = new ArrayList<>();
                            rows.forEach(r -> {
                                page.add(r.getBuffer("bytes").getBytes());
                                next.set(r.getInteger("seq") + 1);
                            });
                            return page;
                        }))
                .whilst(page -> page.size() == PAGE)
                .onItem().transformToIterable(page -> page);
    }

    /** A stored piece of a log: where it starts, its bytes, when it was appended. */
    public record Chunk(long offset, byte[] bytes, java.time.Instant createdAt) {
    }

    /** The whole log chunk by chunk with append times (for per-line views), without holding it in memory. */
    public Multi<Chunk> chunks(long stepId) {
        AtomicInteger next = new AtomicInteger();
        return Multi.createBy().repeating()
                .uni(() -> pool.preparedQuery("SELECT seq, byte_offset, bytes, created_at FROM log_chunk WHERE step_id = $1 "
                                + "AND seq >= $2 ORDER BY seq LIMIT $3")
                        .execute(Tuple.of(stepId, next.get(), PAGE))
                        .map(rows -> {
                            List<Chunk> page = new ArrayList<>();
                            rows.forEach(r -> {
                                page.add(new Chunk(r.getLong("byte_offset"), r.getBuffer("bytes").getBytes(),
                                        r.getOffsetDateTime("created_at").toInstant()));
                                next.set(r.getInteger("seq") + 1);
                            });
                            return page;
                        }))
                .whilst(page -> page.size() == PAGE)
                .onItem().transformToIterable(page -> page);
    }

    /**
     * Existing text from byte {@code from}, then new text as it is appended, then an end event
     * once the step has finished and everything was sent.
     */
    public Multi<LogEvent> follow(long stepId, long from) {
        return Multi.createFrom().emitter(emitter -> pump(stepId, from, emitter));
    }

    private void pump(long stepId, long offset, MultiEmitter<? super LogEvent> emitter) {
        if (emitter.isCancelled()) {
            return;
        }
        String key = String.valueOf(stepId);
        CompletableFuture<Void> wake = notifications.register(Notifications.LOG, key);
        // The status is read before the chunks: a step seen finished has all its chunks stored.
        pipelines.step(pool, stepId, false)
                .chain(step -> pool.preparedQuery("SELECT byte_offset, bytes FROM log_chunk WHERE step_id = $1 "
                                + "AND byte_offset + length(bytes) > $2 ORDER BY seq LIMIT $3")
                        .execute(Tuple.of(stepId, offset, PAGE))
                        .map(rows -> {
                            List<Row> list = new ArrayList<>();
                            rows.forEach(list::add);
                            return new Object[] {step.map(s -> Statuses.isFinished(s.status())).orElse(true), list};
                        }))
                .subscribe().with(result -> {
                    boolean finished = (Boolean) result[0];
                    @SuppressWarnings("unchecked")
                    List<Row> chunks = (List<Row>) result[1];
                    long position = offset;
                    for (Row chunk : chunks) {
                        byte[] bytes = chunk.getBuffer("bytes").getBytes();
                        long start = chunk.getLong("byte_offset");
                        int skip = (int) Math.max(0, position - start);
                        String text = new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8);
                        position = start + bytes.length;
                        emitter.emit(new LogEvent(position, text, false));
                    }
                    if (!chunks.isEmpty()) {
                        notifications.forget(Notifications.LOG, key, wake);
                        pump(stepId, position, emitter);
                    } else if (finished) {
                        notifications.forget(Notifications.LOG, key, wake);
                        emitter.emit(new LogEvent(position, "", true));
                        emitter.complete();
                    } else {
                        long at = position;
                        notifications.await(Notifications.LOG, key, wake, FOLLOW_RECHECK)
                                .subscribe().with(ignored -> pump(stepId, at, emitter), emitter::fail);
                    }
                }, emitter::fail);
    }

    public static long parseOffset(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            long offset = Long.parseLong(lastEventId.trim());
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ValidationException("Last-Event-ID must be a byte offset (a whole number >= 0) from an earlier event id");
    }

    private static long number(String raw, String what) {
        return dev.shoal.pipeline.pipeline.service.PipelineService.parseNumber(raw, what);
    }

}
