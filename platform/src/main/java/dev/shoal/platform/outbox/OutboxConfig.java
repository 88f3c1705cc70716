package dev.shoal.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "shoal.outbox")
public interface OutboxConfig {

    /** Whether this process relays its outbox to Kafka. */
    @WithDefault("true")
    boolean enabled();

    /** How often the relay looks for unsent rows when it found none and cannot listen for them. */
    @WithDefault("50ms")
    Duration pollInterval();

    /** Whether the relay listens for the announcement of new rows (PostgreSQL LISTEN) rather than polling. */
    @WithDefault("true")
    boolean listen();

    /** How often the relay looks for unsent rows while it listens and nothing was announced. */
    @WithDefault("5s")
    Duration idleCheck();

    /** How long the relay waits before trying again after Kafka refused or did not answer. */
    @WithDefault("1s")
    Duration retryDelay();

    /** Rows sent per batch. */
    @WithDefault("500")
    int batchSize();
}
