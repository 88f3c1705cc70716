package dev.shoal.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "shoal.gateway")
public interface GatewayConfig {

    /** The bootstrap admin's token; generated on first start when unset. */
    Optional<String> adminToken();

    /** Where the bootstrap admin token is written (mode 600) on first start. */
    Optional<String> adminTokenFile();

    /** How long to wait for a service's answer to start (and between bytes of a stream). */
    @WithDefault("60s")
    Duration upstreamTimeout();

    RateLimit rateLimit();

    interface RateLimit {

        @WithDefault("true")
        boolean enabled();

        /** Sustained requests per second per token. */
        @WithDefault("50")
        double tokenPerSecond();

        @WithDefault("500")
        int tokenBurst();

        /** Sustained requests per second per anonymous client address. */
        @WithDefault("10")
        double anonymousPerSecond();

        @WithDefault("100")
        int anonymousBurst();
    }
}
