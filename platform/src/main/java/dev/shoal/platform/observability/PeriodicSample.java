package dev.shoal.platform.observability;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A value sampled from the database on a timer, for gauges: a scrape reads the last sample and
 * never waits on (or loads) the database, however often Prometheus, KEDA and people scrape. At most
 * one sample runs at a time; a failed sample keeps the previous value and is logged at debug level.
 */
public final class PeriodicSample<T> {

    private static final Logger LOG = Logger.getLogger(PeriodicSample.class);

    private final AtomicReference<T> value;
    private final AtomicBoolean sampling = new AtomicBoolean();
    private final Supplier<Uni<T>> sampler;
    private final String what;
    private final Vertx vertx;
    private final long timer;

    private PeriodicSample(Vertx vertx, Duration interval, T initial, Supplier<Uni<T>> sampler, String what) {
        this.value = new AtomicReference<>(initial);
        this.sampler = sampler;
        this.what = what;
        this.vertx = vertx;
        refresh();
        this.timer = vertx.setPeriodic(Math.max(100, interval.toMillis()), id -> refresh());
    }

    /** Samples now and then every {@code interval}; {@code initial} is served until the first sample lands. */
    public static <T> PeriodicSample<T> start(Vertx vertx, Duration interval, T initial, Supplier<Uni<T>> sampler, String what) {
        return new PeriodicSample<>(vertx, interval, initial, sampler, what);
    }

    public T get() {
        return value.get();
    }

    public void stop() {
        vertx.cancelTimer(timer);
    }

    private void refresh() {
        if (!sampling.compareAndSet(false, true)) {
            return;
        }
        Uni<T> next;
        try {
            next = sampler.get();
        } catch (RuntimeException e) {
            sampling.set(false);
            LOG.debugf("%s not sampled: %s", what, e.getMessage());
            return;
        }
        next.subscribe().with(v -> {
            value.set(v);
            sampling.set(false);
        }, e -> {
            sampling.set(false);
            LOG.debugf("%s not sampled: %s", what, e.getMessage());
        });
    }
}
