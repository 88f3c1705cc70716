package dev.shoal.webhook.delivery.service;

import dev.shoal.platform.observability.ObservabilityConfig;
import dev.shoal.platform.observability.PeriodicSample;
import dev.shoal.webhook.delivery.repository.DeliveryRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Delivery meters: {@code shoal_webhook_deliveries_total{outcome}} counts attempts this process
 * recorded, by what they decided ({@code success}, {@code retrying}: failed and scheduled again,
 * {@code failure}: failed for good), and {@code shoal_webhook_deliveries_pending} is the number of
 * deliveries waiting to be (re)sent, sampled from the database every
 * {@code shoal.observability.sample-interval} (the same in every replica).
 */
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Pool pool;
    private final ObservabilityConfig config;
    private final Vertx vertx;
    private final Counter success;
    private final Counter retrying;
    private final Counter failure;
    private volatile PeriodicSample<Long> pending;

    public DeliveryMetrics(MeterRegistry registry, Pool pool, ObservabilityConfig config, Vertx vertx) {
        this.registry = registry;
        this.pool = pool;
        this.config = config;
        this.vertx = vertx;
        this.success = counter(registry, "success");
        this.retrying = counter(registry, "retrying");
        this.failure = counter(registry, "failure");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("shoal.webhook.deliveries").tag("outcome", outcome)
                .description("Delivery attempts recorded, by outcome (retrying = failed, will be sent again)")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        PeriodicSample<Long> sample = PeriodicSample.start(vertx, config.sampleInterval(), 0L, this::countPending,
                "pending webhook deliveries");
        pending = sample;
        Gauge.builder("shoal.webhook.deliveries.pending", sample, PeriodicSample::get)
                .description("Deliveries waiting to be sent or sent again (pending or retrying)")
                .register(registry);
    }

    void stop(@Observes ShutdownEvent event) {
        PeriodicSample<Long> current = pending;
        if (current != null) {
            current.stop();
        }
    }

    /** Called once per recorded attempt with the delivery's new status. */
    public void recorded(String status) {
        switch (status) {
            case DeliveryRepository.SUCCEEDED -> success.increment();
            case DeliveryRepository.RETRYING -> retrying.increment();
            case DeliveryRepository.FAILED -> failure.increment();
            default -> {
            }
        }
    }

    /** Counted over the partial index of due rows (delivery_due). */
    private Uni<Long> countPending() {
        return pool.query("SELECT count(*) FROM delivery WHERE status IN ('pending', 'retrying')").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
