package dev.shoal.platform.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long {@link IdempotentConsumers} keeps trying an event whose handler fails before it sends the
 * event to the dead-letter topic and moves on ({@code shoal.consumer.*}, env {@code SHOAL_CONSUMER_*}).
 * The defaults ride out a neighbour service restarting or being redeployed (about 3 minutes of
 * retries: 0.5, 1, 2, 4, 8, 16, 32, 60, 60 s) before a person has to replay the event; a database
 * outage never counts as an attempt, since every event would fail alike.
 */
@ConfigMapping(prefix = "shoal.consumer")
public interface ConsumerRetryConfig {

    /** Attempts at one event, the first included, before it is dead-lettered. */
    @WithDefault("10")
    int maxAttempts();

    /** Wait after the first failure; doubled after each further one. */
    @WithDefault("500ms")
    Duration retryBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("60s")
    Duration maxRetryBackoff();
}
