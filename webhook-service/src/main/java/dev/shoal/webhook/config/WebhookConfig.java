package dev.shoal.webhook.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every key is overridable by environment variable, e.g. {@code SHOAL_WEBHOOK_RETRY_MAX_ATTEMPTS}. */
@ConfigMapping(prefix = "shoal.webhook")
public interface WebhookConfig {

    /**
     * Hosts and ranges deliveries may reach although the SSRF guard would block them:
     * {@code loopback}, IP addresses, CIDR blocks, host names, {@code *.suffix}.
     */
    Optional<List<String>> allowedHosts();

    /** Consecutive failed deliveries (after their retries) that deactivate a hook. */
    @WithDefault("10")
    int maxConsecutiveFailures();

    /**
     * Base64 of a 16, 24 or 32 byte AES key encrypting hook secrets at rest. Without it secrets are
     * stored as given (still never returned or logged) and a warning is logged at start.
     */
    Optional<String> secretKey();

    /** Timeout of one delivery request, connection included. */
    @WithDefault("10s")
    Duration timeout();

    /** Stored response bodies are cut to this many bytes. */
    @WithDefault("65536")
    int maxResponseBody();

    Dispatcher dispatcher();

    Retry retry();

    interface Dispatcher {

        /** Whether this process sends deliveries (an API-only replica may turn it off). */
        @WithDefault("true")
        boolean enabled();

        /** How often due rows are looked for when no wake-up came. */
        @WithDefault("1s")
        Duration pollInterval();

        /** How long a claimed row is reserved for this process before another may take it. */
        @WithDefault("60s")
        Duration claimLease();

        /** Requests in flight or waiting in this process at most. */
        @WithDefault("64")
        int maxInFlight();

        /** Concurrent requests to one target host, so one slow receiver cannot starve the others. */
        @WithDefault("4")
        int maxPerHost();
    }

    /** Defaults: 8 attempts, 30 s, 90 s, 4.5 min, 13.5 min, 40.5 min, 2 h, 2 h apart (plus jitter). */
    interface Retry {

        @WithDefault("8")
        int maxAttempts();

        @WithDefault("30s")
        Duration initialDelay();

        @WithDefault("3.0")
        double multiplier();

        @WithDefault("2h")
        Duration maxDelay();

        /** Up to this fraction is added at random to each delay, so retries of many hooks spread out. */
        @WithDefault("0.2")
        double jitter();
    }
}
