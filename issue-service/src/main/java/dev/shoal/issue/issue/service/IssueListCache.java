package dev.shoal.issue.issue.service;

import dev.shoal.issue.config.IssueConfig;
import dev.shoal.issue.issue.repository.IssueRepository.Page;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.identity.Caller;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Pages of the issue list kept in memory, each under the list version of its repository it was read
 * at ({@code repository.list_version}), and served only while that version stands: a poll of an
 * unchanged list costs no query (GitLab answers its ETag polls the same way).
 *
 * <p>Why a hit is never stale: every change to anything a listed issue shows, or to who may see it,
 * sets a new version in the changing transaction, as it commits (triggers, V4__issue_list_version.sql), and
 * versions come from a sequence, so one value never names two states of a list. The caller reads
 * the version (with the repository row it reads anyway) <em>before</em> the page query starts, so the
 * page stored under version v reflects every change committed up to v, and perhaps some later ones
 * (which carry later versions): it is at least as new as its label. A request that reads v again
 * therefore gets a page no older than what it would have queried itself. A page read across a change
 * is stored under the older version and simply misses once the new version is read.
 *
 * <p>Bounded by entries and by size (the JSON's characters plus an overhead per page and per issue:
 * {@code shoal.issue.list-cache.max-bytes}, 0 turns it off), least recently used first out. The lock
 * is held only to look up, insert and evict, never across a query, so the event loop never waits long.
 * Meters: {@code shoal_issue_list_cache_requests_total{result=hit|miss}}, {@code shoal_issue_list_cache_bytes}.
 *
 * <p>It also keeps each list's total (per repository, state and viewer, under the same version rule,
 * for as many lists as it may hold pages), so that a page it does not hold is read without counting
 * the list again: for a deep page of a long list the count cost as much as the page (10,000 issues:
 * about 5 ms each in PostgreSQL), and a script walking every page, or people jumping between pages,
 * miss the page cache on every request.
 */
@ApplicationScoped
public class IssueListCache {

    static final int PAGE_OVERHEAD = 256;
    static final int ISSUE_OVERHEAD = 64;

    /**
     * One page of one list as one viewer sees it. Members all see the same page; anyone else sees the
     * public issues and the private ones they wrote or are assigned to, so each has their own.
     */
    public record Key(long repoId, String state, int perPage, long offset, long viewer) {

        static final long MEMBERS = Long.MIN_VALUE;
        static final long ANONYMOUS = -1;

        public static Key of(long repoId, String state, PageRequest page, Caller caller) {
            long viewer = caller.isMember() ? MEMBERS : caller.userId() == null ? ANONYMOUS : caller.userId();
            return new Key(repoId, state, page.perPage(), page.offset(), viewer);
        }

        /** The list this page belongs to, whatever its size and place. */
        ListKey list() {
            return new ListKey(repoId, state, viewer);
        }

        /**
         * A weak entity tag for this page at this list version: it changes with the version, and
         * differs between viewers who may see different pages at the same address.
         */
        public String etag(long version) {
            String who = viewer == MEMBERS ? "m" : viewer == ANONYMOUS ? "a" : "u" + viewer;
            return "W/\"" + repoId + "-" + version + "-" + state + "-" + perPage + "-" + offset + "-" + who + "\"";
        }
    }

    /** One list as one viewer sees it: all its pages have the same total. */
    record ListKey(long repoId, String state, long viewer) {
    }

    private record Entry(long version, Page page, long bytes) {
    }

    private record Total(long version, long total) {
    }

    private final long maxBytes;
    private final int maxEntries;
    /** In access order, eldest first; guarded by itself, as is {@link #bytes}. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    /** Each list's total at the latest version a page of it was read at, eldest first; guarded by {@link #entries}. */
    private final LinkedHashMap<ListKey, Total> totals = new LinkedHashMap<>(64, 0.75f, true);
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public IssueListCache(IssueConfig config, MeterRegistry registry) {
        this.maxBytes = config.listCache().maxBytes();
        this.maxEntries = config.listCache().maxEntries();
        FunctionCounter.builder("shoal.issue.list.cache.requests", hits, LongAdder::sum).tag("result", "hit")
                .description("Issue list pages served from memory").register(registry);
        FunctionCounter.builder("shoal.issue.list.cache.requests", misses, LongAdder::sum).tag("result", "miss")
                .description("Issue list pages read from the database (not cached, or cached under an older list version)")
                .register(registry);
        Gauge.builder("shoal.issue.list.cache.bytes", this, IssueListCache::bytes).baseUnit("bytes")
                .description("Estimated size of the cached issue list pages").register(registry);
    }

    /**
     * The page under {@code key} if it was stored under {@code version}, else {@code load}'s page, then
     * kept under {@code version}. {@code load} gets the list's total when a page of the same list was
     * read at the same version (null otherwise) and gives back a page with that total. The version
     * must have been read before {@code load} queries.
     */
    public Uni<Page> page(Key key, long version, Function<Long, Uni<Page>> load) {
        if (!enabled()) {
            return load.apply(null);
        }
        Page cached = find(key, version);
        if (cached != null) {
            hits.increment();
            return Uni.createFrom().item(cached);
        }
        misses.increment();
        return load.apply(total(key.list(), version)).invoke(page -> store(key, version, page));
    }

    /** Pages served from memory since start. */
    public long hits() {
        return hits.sum();
    }

    /** Pages read from the database since start. */
    public long misses() {
        return misses.sum();
    }

    long bytes() {
        synchronized (entries) {
            return bytes;
        }
    }

    private boolean enabled() {
        return maxBytes > 0 && maxEntries > 0;
    }

    private Page find(Key key, long version) {
        synchronized (entries) {
            Entry entry = entries.get(key);
            return entry != null && entry.version() == version ? entry.page() : null;
        }
    }

    private Long total(ListKey list, long version) {
        synchronized (entries) {
            Total total = totals.get(list);
            return total != null && total.version() == version ? total.total() : null;
        }
    }

    private void store(Key key, long version, Page page) {
        long size = size(page);
        synchronized (entries) {
            Total total = totals.get(key.list());
            if (total == null || total.version() < version) {
                totals.put(key.list(), new Total(version, page.total()));
                Iterator<ListKey> eldestList = totals.keySet().iterator();
                while (totals.size() > maxEntries) {
                    eldestList.next();
                    eldestList.remove();
                }
            }
            if (size > maxBytes) {
                return;
            }
            Entry present = entries.get(key);
            if (present != null && present.version() > version) {
                return; // a request that read a later version stored first: keep the newer page
            }
            entries.put(key, new Entry(version, page, size));
            bytes += size - (present == null ? 0 : present.bytes());
            Iterator<Map.Entry<Key, Entry>> eldest = entries.entrySet().iterator();
            while (bytes > maxBytes || entries.size() > maxEntries) {
                bytes -= eldest.next().getValue().bytes();
                eldest.remove();
            }
        }
    }

    private static long size(Page page) {
        long size = PAGE_OVERHEAD;
        for (String issue : page.issues()) {
            size += ISSUE_OVERHEAD + issue.length();
        }
        return size;
    }
}
