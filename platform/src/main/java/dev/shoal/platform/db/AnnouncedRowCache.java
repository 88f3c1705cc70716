package dev.shoal.platform.db;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Rows of one table kept in memory while PostgreSQL announces every committed change to them: a
 * trigger notifies a channel with the changed row's id ({@code '*'}: any row), and a
 * {@link RowChangeListener} on that channel drops the row here.
 *
 * <p>Why a hit is never staler than that announcement: rows are served only while the listener's
 * connection is up ({@link #listening()}); when it drops ({@link #deaf()}), everything is forgotten and
 * every lookup reads the database until it listens again. A lookup that raced a change (it read the row
 * before the change committed and finished after the change was announced) is not kept: each change
 * moves the generation on, and a row is stored only if the generation it was read under still stands.
 * A process that writes drops the rows it wrote once its transaction has committed ({@link #changed}
 * or {@link #changedAll}), so its own next answer has them without waiting for the announcement.
 *
 * <p>Bounded by {@code maxEntries} (0 turns the cache off): when full it starts over. Meters:
 * {@code <name>_requests_total{result=hit|miss}} and {@code <name>_listening} (1 while serving).
 *
 * @param <K> how rows are looked up
 * @param <V> a row
 */
public final class AnnouncedRowCache<K, V> implements ChannelSubscriber {

    private final int maxEntries;
    private final ToLongFunction<V> idOf;
    private final Map<K, V> byKey = new ConcurrentHashMap<>();
    /** Guarded by this, as are {@link #generation} and every change to {@link #byKey}. */
    private final Map<Long, K> keyById = new HashMap<>();
    private long generation;
    private volatile boolean serving;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * @param name  the meters' name, e.g. {@code shoal.repo.row.cache}
     * @param idOf  the id a row's announcements carry
     */
    public AnnouncedRowCache(String name, int maxEntries, ToLongFunction<V> idOf, MeterRegistry registry) {
        this.maxEntries = maxEntries;
        this.idOf = idOf;
        FunctionCounter.builder(name + ".requests", hits, LongAdder::sum).tag("result", "hit")
                .description("Lookups answered from memory").register(registry);
        FunctionCounter.builder(name + ".requests", misses, LongAdder::sum).tag("result", "miss")
                .description("Lookups that read the database").register(registry);
        Gauge.builder(name + ".listening", this, cache -> cache.serving ? 1 : 0)
                .description("1 while rows are served from memory (their change announcements are being received)")
                .register(registry);
    }

    @Override
    public boolean enabled() {
        return maxEntries > 0;
    }

    /** The row under {@code key}, or {@code load}'s answer (null: none), then kept. */
    public Uni<V> find(K key, Supplier<Uni<V>> load) {
        if (!serving) {
            misses.increment();
            return load.get();
        }
        V cached = byKey.get(key);
        if (cached != null) {
            hits.increment();
            return Uni.createFrom().item(cached);
        }
        misses.increment();
        long readUnder = generation();
        return load.get().invoke(row -> store(key, readUnder, row));
    }

    /** The row {@code id} changed or is gone: its cached copy, if any, is dropped. */
    public synchronized void changed(long id) {
        generation++;
        K key = keyById.remove(id);
        if (key != null) {
            byKey.remove(key);
        }
    }

    /** Any row may have changed: everything cached is dropped. */
    public synchronized void changedAll() {
        generation++;
        byKey.clear();
        keyById.clear();
    }

    /** An announcement: the changed row's id, or anything else (a TRUNCATE's {@code '*'}) for every row. */
    @Override
    public void announced(String payload) {
        try {
            changed(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            changedAll();
        }
    }

    /** Changes are announced from now on: rows may be served from memory. */
    @Override
    public synchronized void listening() {
        changedAll();
        serving = enabled();
    }

    /** Changes may go unannounced from now on: nothing is served from memory until {@link #listening()}. */
    @Override
    public synchronized void deaf() {
        serving = false;
        changedAll();
    }

    public boolean serving() {
        return serving;
    }

    /** Whether row {@code id} is in memory now (a change announced for it has dropped it). */
    public synchronized boolean holds(long id) {
        return keyById.containsKey(id);
    }

    public long hits() {
        return hits.sum();
    }

    private synchronized long generation() {
        return generation;
    }

    private synchronized void store(K key, long readUnder, V row) {
        if (row == null || !serving || readUnder != generation) {
            return;
        }
        if (byKey.size() >= maxEntries) {
            byKey.clear();
            keyById.clear();
        }
        K previous = keyById.put(idOf.applyAsLong(row), key);
        if (previous != null && !previous.equals(key)) {
            byKey.remove(previous);
        }
        byKey.put(key, row);
    }
}
