package dev.shoal.platform.observability;

import dev.shoal.platform.messaging.EventHandler;
import dev.shoal.platform.messaging.IdempotentConsumers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Shoal's own meters, next to the HTTP, JVM and pool meters quarkus-micrometer already exports:
 * {@code shoal_outbox_backlog} and {@code shoal_outbox_oldest_age_seconds} (sampled on a timer, so a
 * scrape never waits on the database) and {@code shoal_consumer_events_applied_total{consumer}}.
 */
@ApplicationScoped
public class ShoalMetrics {

    private static final Logger LOG = Logger.getLogger(ShoalMetrics.class);

    private final MeterRegistry registry;
    private final OutboxBacklog backlog;
    private final IdempotentConsumers consumers;
    private final Instance<EventHandler> handlers;
    private final ObservabilityConfig config;
    private final Vertx vertx;
    private final AtomicReference<OutboxBacklog.Snapshot> sample = new AtomicReference<>(new OutboxBacklog.Snapshot(0, 0));
    private volatile long timer = -1;

    public ShoalMetrics(MeterRegistry registry, OutboxBacklog backlog, IdempotentConsumers consumers,
                        Instance<EventHandler> handlers, ObservabilityConfig config, Vertx vertx) {
        this.registry = registry;
        this.backlog = backlog;
        this.consumers = consumers;
        this.handlers = handlers;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        Gauge.builder("shoal.outbox.backlog", sample, s -> s.get().rows())
                .description("Outbox rows not yet acknowledged by Kafka")
                .register(registry);
        Gauge.builder("shoal.outbox.oldest.age", sample, s -> s.get().oldestAgeSeconds())
                .baseUnit("seconds")
                .description("Age of the oldest outbox row not yet acknowledged by Kafka (0 when none waits)")
                .register(registry);
        for (EventHandler handler : handlers) {
            String name = handler.name();
            FunctionCounter.builder("shoal.consumer.events.applied", consumers, c -> c.applied(name))
                    .tag("consumer", name)
                    .description("Events applied by a consumer (duplicates skipped by the idempotency check are not counted)")
                    .register(registry);
        }
        refresh();
        timer = vertx.setPeriodic(Math.max(100, config.outboxSampleInterval().toMillis()), id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void refresh() {
        backlog.sample().subscribe().with(sample::set,
                e -> LOG.debugf("outbox backlog not sampled: %s", e.getMessage()));
    }
}
