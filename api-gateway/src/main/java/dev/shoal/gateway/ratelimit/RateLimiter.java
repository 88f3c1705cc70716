package dev.shoal.gateway.ratelimit;

import dev.shoal.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per API token and per anonymous client address. A refusal says how many seconds
 * until the next request would be allowed.
 */
@ApplicationScoped
public class RateLimiter {

    private static final int MAX_BUCKETS = 200_000;

    private final GatewayConfig.RateLimit config;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(GatewayConfig config) {
        this.config = config.rateLimit();
    }

    /** 0 when allowed, else the seconds to wait. */
    public long acquire(String key) {
        if (!config.enabled()) {
            return 0;
        }
        boolean anonymous = key.startsWith("ip:");
        double rate = anonymous ? config.anonymousPerSecond() : config.tokenPerSecond();
        int burst = anonymous ? config.anonymousBurst() : config.tokenBurst();
        if (buckets.size() > MAX_BUCKETS) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(burst)).take(rate, burst, System.nanoTime());
    }

    static final class Bucket {

        private double tokens;
        private long last;

        Bucket(int burst) {
            this.tokens = burst;
            this.last = System.nanoTime();
        }

        synchronized long take(double rate, int burst, long now) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
        }
    }
}
