package dev.shoal.platform.observability;

import dev.shoal.platform.messaging.EventHandler;
import dev.shoal.platform.messaging.IdempotentConsumers;
import dev.shoal.platform.outbox.KafkaConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/**
 * Shoal's own meters, next to the HTTP, JVM and pool meters quarkus-micrometer already exports:
 * {@code shoal_outbox_backlog} and {@code shoal_outbox_oldest_age_seconds} (sampled on a timer, so a
 * scrape never waits on the database), {@code shoal_consumer_events_applied_total{consumer}},
 * {@code shoal_consumer_lag{consumer,group,topic}} and
 * {@code shoal_events_dead_lettered_total{topic,service,consumer}}.
 */
@ApplicationScoped
public class ShoalMetrics {

    private final MeterRegistry registry;
    private final OutboxBacklog backlog;
    private final IdempotentConsumers consumers;
    private final Instance<EventHandler> handlers;
    private final ObservabilityConfig config;
    private final KafkaConfig kafka;
    private final Vertx vertx;
    private volatile PeriodicSample<OutboxBacklog.Snapshot> sample;

    public ShoalMetrics(MeterRegistry registry, OutboxBacklog backlog, IdempotentConsumers consumers,
                        Instance<EventHandler> handlers, ObservabilityConfig config, KafkaConfig kafka, Vertx vertx) {
        this.registry = registry;
        this.backlog = backlog;
        this.consumers = consumers;
        this.handlers = handlers;
        this.config = config;
        this.kafka = kafka;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        PeriodicSample<OutboxBacklog.Snapshot> outbox = PeriodicSample.start(vertx, config.outboxSampleInterval(),
                new OutboxBacklog.Snapshot(0, 0), backlog::sample, "outbox backlog");
        sample = outbox;
        Gauge.builder("shoal.outbox.backlog", outbox, s -> s.get().rows())
                .description("Outbox rows not yet acknowledged by Kafka")
                .register(registry);
        Gauge.builder("shoal.outbox.oldest.age", outbox, s -> s.get().oldestAgeSeconds())
                .baseUnit("seconds")
                .description("Age of the oldest outbox row not yet acknowledged by Kafka (0 when none waits)")
                .register(registry);
        for (EventHandler handler : handlers) {
            String name = handler.name();
            FunctionCounter.builder("shoal.consumer.events.applied", consumers, c -> c.applied(name))
                    .tag("consumer", name)
                    .description("Events applied by a consumer (duplicates skipped by the idempotency check are not counted)")
                    .register(registry);
            for (String topic : handler.topics()) {
                FunctionCounter.builder("shoal.events.dead.lettered", consumers, c -> c.deadLettered(name, topic))
                        .tag("topic", topic)
                        .tag("service", consumers.service())
                        .tag("consumer", name)
                        .description("Events this consumer gave up on after its retries and sent to the dead-letter topic")
                        .register(registry);
                Gauge.builder("shoal.consumer.lag", consumers, c -> c.lag(name, topic))
                        .tag("consumer", name)
                        .tag("group", kafka.groupPrefix() + "." + name)
                        .tag("topic", topic)
                        .description("Records of the topic this consumer has not applied yet (its partitions in this process)")
                        .register(registry);
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        PeriodicSample<OutboxBacklog.Snapshot> current = sample;
        if (current != null) {
            current.stop();
        }
    }
}
