package dev.shoal.repo.repo.service;

import dev.shoal.repo.config.RepoConfig;
import dev.shoal.repo.repo.Repo;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Repository rows by organization and name, kept in memory: every API and git request looks its
 * repository up by name, and that query was a fifth of the CPU a {@code GET /api/v1/repos/{org}/{repo}}
 * cost the whole machine (issue 19), PostgreSQL's share of it.
 *
 * <p>Why a hit is never staler than PostgreSQL's own announcement: a trigger announces every change
 * to a repository row as its transaction commits (V5__repository_notify.sql), and
 * {@link RepoChangeListener} drops the row here when the announcement arrives. Rows are served only
 * while that listener's connection is up; when it drops, everything cached is forgotten and every
 * lookup goes to the database until it listens again. A lookup that raced a change (it read the row
 * before the change committed and finished after it was announced) is not kept: each change moves
 * {@link #generation} on, and a row is stored only if the generation it was read under still stands.
 * This process's own writes drop their row as they commit too, so its next answer already has them.
 *
 * <p>Bounded by {@code shoal.repo.row-cache-max-entries} (0 turns it off): when full it starts
 * over. Meters: {@code shoal_repo_row_cache_requests_total{result=hit|miss}} and
 * {@code shoal_repo_row_cache_listening} (1 while rows are served from memory).
 */
@ApplicationScoped
public class RepoRowCache {

    private final int maxEntries;
    private final Map<String, Repo> byName = new ConcurrentHashMap<>();
    /** Guarded by this, as are {@link #generation} and every change to {@link #byName}. */
    private final Map<Long, String> nameById = new HashMap<>();
    private long generation;
    private volatile boolean serving;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public RepoRowCache(RepoConfig config, MeterRegistry registry) {
        this.maxEntries = config.rowCacheMaxEntries();
        FunctionCounter.builder("shoal.repo.row.cache.requests", hits, LongAdder::sum).tag("result", "hit")
                .description("Repository lookups by name answered from memory").register(registry);
        FunctionCounter.builder("shoal.repo.row.cache.requests", misses, LongAdder::sum).tag("result", "miss")
                .description("Repository lookups by name that queried the database").register(registry);
        Gauge.builder("shoal.repo.row.cache.listening", this, cache -> cache.serving ? 1 : 0)
                .description("1 while repository rows are served from memory (the change announcements are being received)")
                .register(registry);
    }

    public boolean enabled() {
        return maxEntries > 0;
    }

    /** The row of {@code org}/{@code name} (names compared without regard to case), or {@code load}'s answer, then kept. */
    public Uni<Repo> find(String org, String name, Supplier<Uni<Repo>> load) {
        if (!serving) {
            misses.increment();
            return load.get();
        }
        String key = key(org, name);
        Repo cached = byName.get(key);
        if (cached != null) {
            hits.increment();
            return Uni.createFrom().item(cached);
        }
        misses.increment();
        long readUnder = generation();
        return load.get().invoke(repo -> store(key, readUnder, repo));
    }

    /** The row of repository {@code id} changed (or is gone): its cached copy, if any, is dropped. */
    public synchronized void changed(long id) {
        generation++;
        String key = nameById.remove(id);
        if (key != null) {
            byName.remove(key);
        }
    }

    /** Any row may have changed: everything cached is dropped. */
    public synchronized void changedAll() {
        generation++;
        byName.clear();
        nameById.clear();
    }

    /** Changes are announced from now on: rows may be served from memory. */
    synchronized void listening() {
        changedAll();
        serving = enabled();
    }

    /** Changes may go unannounced from now on: nothing is served from memory until {@link #listening()}. */
    synchronized void deaf() {
        serving = false;
        changedAll();
    }

    public long hits() {
        return hits.sum();
    }

    public boolean serving() {
        return serving;
    }

    private synchronized long generation() {
        return generation;
    }

    private synchronized void store(String key, long readUnder, Repo repo) {
        if (repo == null || !serving || readUnder != generation) {
            return;
        }
        if (byName.size() >= maxEntries) {
            byName.clear();
            nameById.clear();
        }
        byName.put(key, repo);
        nameById.put(repo.id(), key);
    }

    private static String key(String org, String name) {
        return org.toLowerCase(Locale.ROOT) + "/" + name.toLowerCase(Locale.ROOT);
    }
}
