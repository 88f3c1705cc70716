package dev.shoal.pipeline.agent.service;

import dev.shoal.platform.observability.ObservabilityConfig;
import dev.shoal.platform.observability.PeriodicSample;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The job queue as gauges: {@code shoal_pipeline_queue_pending} (what agents could take now; the
 * Kubernetes autoscaler of the agents reads {@code max(shoal_pipeline_queue_pending)}),
 * {@code shoal_pipeline_queue_oldest_pending_seconds} (how long the oldest of them has existed)
 * and {@code shoal_pipeline_running}. Sampled every {@code shoal.observability.sample-interval}
 * with one statement over the partial indexes of pending and running pipelines, so scrapes never
 * reach the database. Every replica exports the same numbers (hence max, not sum).
 */
@ApplicationScoped
public class QueueMetrics {

    /** A sample of the queue; {@code oldestPendingSeconds} is 0 when nothing is pending. */
    public record Snapshot(long pending, double oldestPendingSeconds, long running) {
    }

    private final MeterRegistry registry;
    private final Pool pool;
    private final ObservabilityConfig config;
    private final Vertx vertx;
    private volatile PeriodicSample<Snapshot> sample;

    public QueueMetrics(MeterRegistry registry, Pool pool, ObservabilityConfig config, Vertx vertx) {
        this.registry = registry;
        this.pool = pool;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        PeriodicSample<Snapshot> queue = PeriodicSample.start(vertx, config.sampleInterval(), new Snapshot(0, 0, 0),
                this::sample, "pipeline queue");
        sample = queue;
        Gauge.builder("shoal.pipeline.queue.pending", queue, s -> s.get().pending())
                .description("Pipelines waiting for an agent (status pending; blocked ones await approval and are not counted)")
                .register(registry);
        Gauge.builder("shoal.pipeline.queue.oldest.pending", queue, s -> s.get().oldestPendingSeconds())
                .baseUnit("seconds")
                .description("Age of the oldest pending pipeline (0 when none is pending)")
                .register(registry);
        Gauge.builder("shoal.pipeline.running", queue, s -> s.get().running())
                .description("Pipelines an agent is running now")
                .register(registry);
    }

    void stop(@Observes ShutdownEvent event) {
        PeriodicSample<Snapshot> current = sample;
        if (current != null) {
            current.stop();
        }
    }

    /** One round trip; each part reads only its partial index's rows (pipeline_queue, pipeline_leases). */
    public Uni<Snapshot> sample() {
        return pool.query("SELECT (SELECT count(*) FROM pipeline WHERE status = 'pending'), "
                        + "(SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 FROM pipeline WHERE status = 'pending'), "
                        + "(SELECT count(*) FROM pipeline WHERE status = 'running')").execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Snapshot(row.getLong(0), Math.max(0, row.getDouble(1)), row.getLong(2));
                });
    }
}
