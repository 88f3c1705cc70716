package dev.shoal.platform.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/**
 * How tests wait for what happens later: Awaitility, polling every 100 ms from the first instant, and
 * on a timeout a message that says what was seen (evaluated only then). Never a fixed sleep that
 * decides the outcome: a test that expects something to happen waits until it has; one that
 * expects nothing more to happen says so with {@link #holds}, a bounded observation.
 */
public final class Waits {

    private static final Duration POLL = Duration.ofMillis(100);

    private Waits() {
    }

    /** Awaitility's factory with Shoal's polling: at once, then every 100 ms, for at most {@code timeout}. */
    public static ConditionFactory within(Duration timeout) {
        return within(timeout, POLL);
    }

    private static ConditionFactory within(Duration timeout, Duration every) {
        return Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(every).pollInSameThread();
    }

    /** Until {@code condition} is true; else fails with {@code message}. */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> message) {
        until(timeout, POLL, condition, message);
    }

    /**
     * Until {@code condition} is true, asking every {@code every}: for a costly question (a page
     * reloaded, a paged list from a running stack); else fails with {@code message}.
     */
    public static void until(Duration timeout, Duration every, BooleanSupplier condition, Supplier<String> message) {
        try {
            within(timeout, every).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(message.get() + " (after " + timeout.toMillis() + " ms)", e);
        }
    }

    /** Until {@code source} gives a value {@code done} accepts, which it returns; else fails with the last value. */
    public static <T> T until(Duration timeout, Supplier<T> source, Predicate<? super T> done, String what) {
        return until(timeout, POLL, source, done, what);
    }

    /** As {@link #until(Duration, Supplier, Predicate, String)}, asking {@code source} every {@code every}. */
    public static <T> T until(Duration timeout, Duration every, Supplier<T> source, Predicate<? super T> done, String what) {
        Object[] last = new Object[1];
        try {
            return within(timeout, every).until(() -> {
                T value = source.get();
                last[0] = value;
                return value;
            }, done::test);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " not reached after " + timeout.toMillis() + " ms; last seen: " + last[0], e);
        }
    }

    /** Until {@code assertion} (AssertJ, REST Assured) passes; else fails with its last failure. */
    public static void untilAsserted(Duration timeout, ThrowingRunnable assertion) {
        within(timeout).untilAsserted(assertion);
    }

    /**
     * {@code condition} stays true for the whole of {@code during} (polled every 100 ms): how a test
     * says "nothing more happens", e.g. no duplicate delivery, no second pipeline. The bound is the
     * claim the test makes; unlike a sleep, a change within it fails at once with {@code message}.
     */
    public static void holds(Duration during, BooleanSupplier condition, Supplier<String> message) {
        try {
            Awaitility.await().during(during).atMost(during.plus(Duration.ofSeconds(5))).pollDelay(Duration.ZERO)
                    .pollInterval(POLL).pollInSameThread().until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(message.get() + " (within " + during.toMillis() + " ms)", e);
        }
    }
}
