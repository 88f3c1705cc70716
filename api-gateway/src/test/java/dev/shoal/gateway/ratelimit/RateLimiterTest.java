package dev.shoal.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.gateway.config.GatewayConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static RateLimiter limiter(double tokenPerSecond) {
        GatewayConfig.RateLimit limits = new GatewayConfig.RateLimit() {
            public boolean enabled() {
                return true;
            }

            public double tokenPerSecond() {
                return tokenPerSecond;
            }

            public int tokenBurst() {
                return 10;
            }

            public double anonymousPerSecond() {
                return 0.001;
            }

            public int anonymousBurst() {
                return 3;
            }
        };
        return new RateLimiter(new GatewayConfig() {
            public Optional<String> adminToken() {
                return Optional.empty();
            }

            public Optional<String> adminTokenFile() {
                return Optional.empty();
            }

            public Duration upstreamTimeout() {
                return Duration.ofSeconds(1);
            }

            public RateLimit rateLimit() {
                return limits;
            }
        });
    }

    /** Used to be cleared whole when full: 200,000 invented keys handed every exhausted address a full bucket. */
    @Test
    void anExhaustedAddressStaysExhaustedWhateverOtherKeysArrive() {
        RateLimiter limiter = limiter(0.001);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("ip:203.0.113.7")).isZero();
        }
        assertThat(limiter.acquire("ip:203.0.113.7")).isPositive();
        for (int i = 0; i <= RateLimiter.MAX_BUCKETS; i++) {
            limiter.acquire("token:" + i);
        }
        assertThat(limiter.acquire("ip:203.0.113.7")).isPositive();
        assertThat(limiter.waitFor("ip:203.0.113.7")).isPositive();
        assertThat(limiter.size()).isLessThanOrEqualTo(RateLimiter.MAX_BUCKETS);
    }

    /** Buckets that have refilled are dropped by age: nothing is lost, and the map stays bounded. */
    @Test
    void refilledBucketsExpireAndTheMapStaysBounded() {
        RateLimiter limiter = limiter(1e12);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("ip:198.51.100.1");
        }
        for (int i = 0; i < RateLimiter.MAX_BUCKETS + 50_000; i++) {
            limiter.acquire("token:" + i);
        }
        assertThat(limiter.size()).isLessThanOrEqualTo(RateLimiter.MAX_BUCKETS);
        assertThat(limiter.acquire("ip:198.51.100.1")).as("the exhausted address survived the eviction").isPositive();
    }

    @Test
    void waitForCountsNothing() {
        RateLimiter limiter = limiter(0.001);
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.waitFor("ip:192.0.2.1")).isZero();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("ip:192.0.2.1")).isZero();
        }
        assertThat(limiter.waitFor("ip:192.0.2.1")).isPositive();
    }
}
