package dev.shoal.gateway.session;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins counted per account and per client address over a sliding window. Password
 * guessing is refused (429) once either has too many recent failures, before the password is checked,
 * so a refused guess costs the guesser a wait and us no bcrypt round.
 */
@ApplicationScoped
public class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int PER_ACCOUNT = 5;
    static final int PER_ADDRESS = 20;

    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    /** Seconds until the next attempt is allowed for this account or address; 0 when allowed now. */
    public long waitSeconds(String username, String address) {
        long now = System.nanoTime();
        return Math.max(wait(accountKey(username), PER_ACCOUNT, now), wait("ip:" + address, PER_ADDRESS, now));
    }

    public void failed(String username, String address) {
        long now = System.nanoTime();
        record(accountKey(username), now);
        record("ip:" + address, now);
    }

    /** A successful sign-in clears the account's count (not the address's: one right password does not excuse the guesses). */
    public void succeeded(String username) {
        failures.remove(accountKey(username));
    }

    private static String accountKey(String username) {
        return "user:" + username.toLowerCase(Locale.ROOT);
    }

    private long wait(String key, int limit, long now) {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            prune(times, now);
            if (times.size() < limit) {
                return 0;
            }
            long oldestExpires = times.peekFirst() + WINDOW.toNanos();
            return Math.max(1, Duration.ofNanos(oldestExpires - now).toSeconds() + 1);
        }
    }

    private void record(String key, long now) {
        Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
        }
    }

    private static void prune(Deque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() > WINDOW.toNanos()) {
            times.removeFirst();
        }
    }
}
