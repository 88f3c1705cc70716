package dev.shoal.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "shoal.outbox")
public interface OutboxConfig {

    /** Whether this process relays its outbox to Kafka. */
    @WithDefault("true")
    boolean enabled();

    /** How often the relay looks for unsent rows when it found none. */
    @WithDefault("50ms")
    Duration pollInterval();

    /** How long the relay waits before trying again after Kafka refused or did not answer. */
    @WithDefault("1s")
    Duration retryDelay();

    /** Rows sent per batch. */
    @WithDefault("500")
    int batchSize();
}
