package dev.shoal.pipeline.agent.service;

import dev.shoal.pipeline.agent.QueueInfo;
import dev.shoal.pipeline.notify.Notifications;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * What site admins see and steer of the queue: pause (agents get no new work; running pipelines
 * go on), resume, and an overview. The overview reads pipelines with a LEFT JOIN on agents and
 * never dereferences an agent row, so an agent deleted or half-written while its pipeline runs
 * cannot make it fail (Woodpecker's queue info once did, freezing autoscalers).
 */
@ApplicationScoped
public class QueueAdminService {

    private static final Duration RECHECK = Duration.ofSeconds(1);
    static final int MAX_WAIT_SECONDS = 300;

    private final Pool pool;
    private final Notifications notifications;

    public QueueAdminService(Pool pool, Notifications notifications) {
        this.pool = pool;
        this.notifications = notifications;
    }

    public Uni<Void> pause(String by) {
        return setPaused(true, by);
    }

    /** Resumes handing out work, and wakes waiting agents at once. */
    public Uni<Void> resume(String by) {
        return setPaused(false, by).invoke(() -> notifications.signal(Notifications.QUEUE, ""));
    }

    private Uni<Void> setPaused(boolean paused, String by) {
        return pool.withTransaction(tx -> tx.preparedQuery("UPDATE queue_state SET paused = $1, changed_by = $2, changed_at = now() WHERE id = 1")
                .execute(Tuple.of(paused, by))
                .chain(() -> paused ? Uni.createFrom().voidItem() : notifications.notify(tx, Notifications.QUEUE, "")));
    }

    public Uni<Boolean> paused() {
        return pool.query("SELECT paused FROM queue_state WHERE id = 1").execute()
                .map(rows -> rows.size() > 0 && Boolean.TRUE.equals(rows.iterator().next().getBoolean("paused")));
    }

    public Uni<QueueInfo> info() {
        Uni<List<QueueInfo.Task>> tasks = pool.query("SELECT id, repo_id, number, labels, agent_id, status FROM pipeline "
                        + "WHERE status IN ('pending', 'running', 'blocked') ORDER BY id LIMIT 1000")
                .execute()
                .map(rows -> {
                    List<QueueInfo.Task> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new QueueInfo.Task(r.getLong("id"), r.getLong("repo_id"), r.getInteger("number"),
                            labels(r), r.getLong("agent_id"), r.getString("status"))));
                    return list;
                });
        Uni<List<QueueInfo.LabelCount>> perLabel = pool.query("SELECT labels, "
                        + "count(*) FILTER (WHERE status = 'pending') AS pending, "
                        + "count(*) FILTER (WHERE status = 'blocked') AS waiting, "
                        + "count(*) FILTER (WHERE status = 'running') AS running "
                        + "FROM pipeline WHERE status IN ('pending', 'running', 'blocked') GROUP BY labels ORDER BY labels::text")
                .execute()
                .map(rows -> {
                    List<QueueInfo.LabelCount> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new QueueInfo.LabelCount(labels(r), r.getLong("pending"), r.getLong("waiting"),
                            r.getLong("running"))));
                    return list;
                });
        Uni<List<QueueInfo.AgentCount>> perAgent = pool.query("SELECT p.agent_id, a.name, count(*) AS running FROM pipeline p "
                        + "LEFT JOIN agent a ON a.id = p.agent_id WHERE p.status = 'running' AND p.agent_id IS NOT NULL "
                        + "GROUP BY p.agent_id, a.name ORDER BY p.agent_id")
                .execute()
                .map(rows -> {
                    List<QueueInfo.AgentCount> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new QueueInfo.AgentCount(r.getLong("agent_id"), r.getString("name"),
                            r.getLong("running"))));
                    return list;
                });
        Uni<Integer> workers = pool.query("SELECT count(*) FROM agent WHERE NOT no_schedule "
                        + "AND last_seen_at > now() - interval '5 minutes'").execute()
                .map(rows -> rows.iterator().next().getLong(0).intValue());
        return Uni.combine().all().unis(paused(), tasks, perLabel, perAgent, workers).asTuple().map(t -> {
            List<QueueInfo.Task> pending = t.getItem2().stream().filter(x -> x.status().equals("pending")).toList();
            List<QueueInfo.Task> blocked = t.getItem2().stream().filter(x -> x.status().equals("blocked")).toList();
            List<QueueInfo.Task> running = t.getItem2().stream().filter(x -> x.status().equals("running")).toList();
            return new QueueInfo(t.getItem1(), pending, blocked, running, t.getItem3(), t.getItem4(), t.getItem5());
        });
    }

    /**
     * Completes once no pipeline is running (what an operator waits for before an upgrade); after
     * {@code rawWait} seconds (default 60, at most 300) with pipelines still running, 503.
     */
    public Uni<Void> awaitNoRunning(String rawWait) {
        int wait = 60;
        if (rawWait != null && !rawWait.isBlank()) {
            try {
                wait = Integer.parseInt(rawWait.trim());
            } catch (NumberFormatException e) {
                wait = -1;
            }
            if (wait < 0 || wait > MAX_WAIT_SECONDS) {
                throw new ValidationException("wait must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(wait).toNanos();
        return awaitUntil(deadline);
    }

    private Uni<Void> awaitUntil(long deadline) {
        CompletableFuture<Void> wake = notifications.register(Notifications.QUEUE, "");
        return pool.query("SELECT count(*) FROM pipeline WHERE status = 'running'").execute()
                .map(rows -> rows.iterator().next().getLong(0))
                .chain(running -> {
                    long left = deadline - System.nanoTime();
                    if (running == 0) {
                        notifications.forget(Notifications.QUEUE, "", wake);
                        return Uni.createFrom().voidItem();
                    }
                    if (left <= 0) {
                        notifications.forget(Notifications.QUEUE, "", wake);
                        return Uni.createFrom().failure(new ApiException(503, "pipelines_running", running
                                + " pipeline(s) still running; ask again later or with a longer ?wait="));
                    }
                    return notifications.await(Notifications.QUEUE, "", wake, Duration.ofNanos(Math.min(left, RECHECK.toNanos())))
                            .chain(() -> awaitUntil(deadline));
                });
    }

    private static Map<String, String> labels(Row r) {
        Map<String, String> map = new TreeMap<>();
        JsonObject json = r.getJsonObject("labels");
        if (json != null) {
            json.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return new LinkedHashMap<>(map);
    }
}
