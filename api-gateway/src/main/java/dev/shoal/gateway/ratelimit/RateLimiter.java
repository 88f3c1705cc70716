package dev.shoal.gateway.ratelimit;

import dev.shoal.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per verified identity (API token, storage issuer and repository, clone credential) and
 * per client address (anonymous callers and every refused credential). Keys are never taken from an
 * unverified credential: each invented secret would get a fresh bucket.
 *
 * <p>Buckets expire by age, not all at once: a bucket idle long enough to have refilled completely is
 * the same as a new one, so dropping it loses nothing. Only when more than {@value #MAX_BUCKETS} keys
 * are still refilling are the fullest of them dropped, never the whole map (clearing everything
 * used to hand every exhausted address a full bucket again).
 */
@ApplicationScoped
public class RateLimiter {

    static final int MAX_BUCKETS = 200_000;

    private final GatewayConfig.RateLimit config;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(GatewayConfig config) {
        this.config = config.rateLimit();
    }

    /** 0 when allowed (and counted), else the seconds to wait. */
    public long acquire(String key) {
        if (!config.enabled()) {
            return 0;
        }
        long now = System.nanoTime();
        if (buckets.size() >= MAX_BUCKETS && !buckets.containsKey(key)) {
            evict(now);
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(burst(k), now)).take(rate(key), burst(key), now);
    }

    /**
     * 0 when {@code key}'s bucket has a token left, else the seconds to wait; counts nothing. For
     * requests whose identity the gateway cannot verify itself (agent tokens, which pipeline-service
     * verifies): they are let through while their address is not exhausted, and count only when refused.
     */
    public long waitFor(String key) {
        if (!config.enabled()) {
            return 0;
        }
        Bucket bucket = buckets.get(key);
        return bucket == null ? 0 : bucket.peek(rate(key), burst(key), System.nanoTime());
    }

    int size() {
        return buckets.size();
    }

    private double rate(String key) {
        return key.startsWith("ip:") ? config.anonymousPerSecond() : config.tokenPerSecond();
    }

    private int burst(String key) {
        return key.startsWith("ip:") ? config.anonymousBurst() : config.tokenBurst();
    }

    /** Drops the buckets that have refilled; if too many are still refilling, the fullest fifth of them. */
    private synchronized void evict(long now) {
        if (buckets.size() < MAX_BUCKETS) {
            return;
        }
        buckets.entrySet().removeIf(e -> e.getValue().full(rate(e.getKey()), burst(e.getKey()), now));
        if (buckets.size() >= MAX_BUCKETS * 9 / 10) {
            // the fullest first: dropping a nearly full bucket gives away least, an exhausted one goes last
            buckets.entrySet().stream()
                    .sorted(Comparator.comparingDouble((Map.Entry<String, Bucket> e) ->
                            e.getValue().fill(rate(e.getKey()), burst(e.getKey()), now)).reversed())
                    .limit(buckets.size() - MAX_BUCKETS * 8L / 10).map(Map.Entry::getKey).toList()
                    .forEach(buckets::remove);
        }
    }

    static final class Bucket {

        private double tokens;
        private long last;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.last = now;
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

        synchronized long peek(double rate, int burst, long now) {
            double available = Math.min(burst, tokens + (now - last) / 1e9 * rate);
            return available >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - available) / rate));
        }

        synchronized boolean full(double rate, int burst, long now) {
            return tokens + (now - last) / 1e9 * rate >= burst;
        }

        /** The share of the burst available now, 0 (exhausted) to 1 (full). */
        synchronized double fill(double rate, int burst, long now) {
            return Math.min(1, (tokens + (now - last) / 1e9 * rate) / burst);
        }
    }
}
