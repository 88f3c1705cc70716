package dev.shoal.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** Configuration of pipeline-service; every key can be set by environment variable (SHOAL_PIPELINE_LEASE, …). */
@ConfigMapping(prefix = "shoal.pipeline")
public interface PipelineSettings {

    /** How long a claimed pipeline stays with its agent without a heartbeat before it returns to the queue. */
    @WithDefault("30s")
    Duration lease();

    /** How often expired leases are looked for. */
    @WithDefault("5s")
    Duration leaseCheckInterval();

    /** How often cron schedules are looked at. */
    @WithDefault("20s")
    Duration cronCheckInterval();

    /** Longest long-poll an agent may ask for with {@code ?wait=}, in seconds. */
    @WithDefault("30")
    int maxPollWait();

    /** AES-256 key for secrets at rest: base64 of 32 bytes. Without it, secrets cannot be stored. */
    @WithName("secret-key")
    Optional<String> secretKey();

    /** The secret of the Shoal webhook that posts to Woodpecker's {@code /api/hook}; unset, that hook is off. */
    @WithName("hook-secret")
    Optional<String> hookSecret();

    /** Whether builds show their commit author's avatar (a Gravatar-style URL). */
    @WithDefault("true")
    boolean authorAvatars();

    /** Where avatars are looked up: the SHA-256 of the email is appended. */
    @WithDefault("https://www.gravatar.com/avatar/")
    String authorAvatarUrl();
}
