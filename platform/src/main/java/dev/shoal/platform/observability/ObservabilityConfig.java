package dev.shoal.platform.observability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Health checks and metrics every service shares; each key is overridable by env var (SHOAL_OBSERVABILITY_...). */
@ConfigMapping(prefix = "shoal.observability")
public interface ObservabilityConfig {

    /** How long the Kafka readiness check waits for the cluster to answer. */
    @WithDefault("2s")
    Duration kafkaTimeout();

    /** How long a Kafka check result is reused, so frequent probes do not each open a request. */
    @WithDefault("5s")
    Duration kafkaCache();

    /** The outbox check reports DOWN once the oldest unsent event is older than this. */
    @WithDefault("5m")
    Duration outboxMaxAge();

    /** How often the outbox gauges are sampled (a scrape reads the last sample, never the database). */
    @WithDefault("5s")
    Duration outboxSampleInterval();

    /**
     * How often a service's other database-sampled gauges (pipeline queue, pending webhook
     * deliveries) are refreshed; scrapes read the last sample.
     */
    @WithDefault("5s")
    Duration sampleInterval();
}
