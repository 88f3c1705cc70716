package dev.shoal.issue.issue.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.issue.config.IssueConfig;
import dev.shoal.issue.issue.repository.IssueRepository.Page;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the cache keeps and drops: versions, least recently used pages, size and count limits, off. */
class IssueListCacheBoundsTest {

    static final String ISSUE = "x".repeat(1000);
    static final long PAGE_SIZE = IssueListCache.PAGE_OVERHEAD + IssueListCache.ISSUE_OVERHEAD + ISSUE.length();

    final AtomicInteger loads = new AtomicInteger();

    IssueListCache cache(long maxBytes, int maxEntries) {
        return new IssueListCache(new Limits(maxBytes, maxEntries), new SimpleMeterRegistry());
    }

    static IssueListCache.Key key(long repoId) {
        return new IssueListCache.Key(repoId, "open", 30, 0, IssueListCache.Key.MEMBERS);
    }

    Page page(IssueListCache cache, IssueListCache.Key key, long version) {
        return cache.page(key, version, knownTotal -> {
            loads.incrementAndGet();
            return Uni.createFrom().item(new Page(List.of(ISSUE), version));
        }).await().atMost(Duration.ofSeconds(1));
    }

    /** The total the cache hands the load of this page (null: the load must count). */
    static Long totalGiven(IssueListCache cache, IssueListCache.Key key, long version, long counted) {
        Long[] given = new Long[1];
        cache.page(key, version, knownTotal -> {
            given[0] = knownTotal;
            return Uni.createFrom().item(new Page(List.of(ISSUE), knownTotal == null ? counted : knownTotal));
        }).await().atMost(Duration.ofSeconds(1));
        return given[0];
    }

    static IssueListCache.Key page(long repoId, long offset, long viewer) {
        return new IssueListCache.Key(repoId, "open", 30, offset, viewer);
    }

    @Test
    void aPageNotHeldGetsTheTotalOfItsListOnlyAtTheSameVersionAndForTheSameViewer() {
        IssueListCache cache = cache(1 << 20, 100);
        long members = IssueListCache.Key.MEMBERS;
        assertThat(totalGiven(cache, page(1, 0, members), 7, 120)).isNull();
        assertThat(totalGiven(cache, page(1, 30, members), 7, 999)).isEqualTo(120);
        assertThat(totalGiven(cache, new IssueListCache.Key(1, "open", 50, 50, members), 7, 999)).isEqualTo(120);
        // another version, viewer, state or repository counts again
        assertThat(totalGiven(cache, page(1, 60, members), 8, 121)).isNull();
        assertThat(totalGiven(cache, page(1, 90, members), 8, 999)).isEqualTo(121);
        assertThat(totalGiven(cache, page(1, 120, 42), 8, 100)).isNull();
        assertThat(totalGiven(cache, new IssueListCache.Key(1, "closed", 30, 30, members), 8, 5)).isNull();
        assertThat(totalGiven(cache, page(2, 30, members), 8, 3)).isNull();
        // a slow request that read the older version counts, and its count does not replace the newer one
        assertThat(totalGiven(cache, page(1, 150, members), 7, 119)).isNull();
        assertThat(totalGiven(cache, page(1, 180, members), 8, 999)).isEqualTo(121);
    }

    @Test
    void totalsAreKeptForAsManyListsAsPagesAndEvenWhenThePageIsTooLargeToKeep() {
        IssueListCache cache = cache(1 << 20, 2);
        long members = IssueListCache.Key.MEMBERS;
        totalGiven(cache, page(1, 0, members), 1, 10);
        totalGiven(cache, page(2, 0, members), 1, 20);
        totalGiven(cache, page(3, 0, members), 1, 30);
        assertThat(totalGiven(cache, page(1, 30, members), 1, 11)).as("the eldest list went").isNull();
        assertThat(totalGiven(cache, page(3, 30, members), 1, 999)).isEqualTo(30);

        IssueListCache small = cache(PAGE_SIZE - 1, 100);
        totalGiven(small, page(1, 0, members), 1, 10);
        assertThat(small.bytes()).isZero();
        assertThat(totalGiven(small, page(1, 30, members), 1, 999)).isEqualTo(10);
    }

    @Test
    void aPageIsServedOnlyUnderTheVersionItWasStoredUnder() {
        IssueListCache cache = cache(1 << 20, 100);
        page(cache, key(1), 5);
        assertThat(page(cache, key(1), 5).total()).isEqualTo(5);
        assertThat(loads).hasValue(1);
        assertThat(page(cache, key(1), 6).total()).isEqualTo(6);
        assertThat(loads).hasValue(2);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(2);
        // a slow request that read the older version does not replace the newer page
        page(cache, key(1), 5);
        assertThat(page(cache, key(1), 6).total()).isEqualTo(6);
        assertThat(loads).hasValue(3);
        // viewers do not share pages
        page(cache, new IssueListCache.Key(1, "open", 30, 0, 42), 6);
        assertThat(loads).hasValue(4);
    }

    @Test
    void theLeastRecentlyUsedPageGoesFirstWhenTheBytesRunOut() {
        IssueListCache cache = cache(3 * PAGE_SIZE, 100);
        page(cache, key(1), 1);
        page(cache, key(2), 1);
        page(cache, key(3), 1);
        page(cache, key(1), 1); // used again: 2 is now the eldest
        page(cache, key(4), 1);
        assertThat(cache.bytes()).isEqualTo(3 * PAGE_SIZE);
        int before = loads.get();
        page(cache, key(1), 1);
        page(cache, key(3), 1);
        page(cache, key(4), 1);
        assertThat(loads).hasValue(before);
        page(cache, key(2), 1);
        assertThat(loads).hasValue(before + 1);
    }

    @Test
    void theCountIsBoundedAndAPageLargerThanTheWholeCacheIsNotKept() {
        IssueListCache cache = cache(1 << 20, 2);
        page(cache, key(1), 1);
        page(cache, key(2), 1);
        page(cache, key(3), 1);
        assertThat(cache.bytes()).isEqualTo(2 * PAGE_SIZE);
        page(cache, key(1), 1);
        assertThat(loads).hasValue(4);

        IssueListCache small = cache(PAGE_SIZE - 1, 100);
        page(small, key(1), 1);
        page(small, key(1), 1);
        assertThat(loads).hasValue(6);
        assertThat(small.bytes()).isZero();
    }

    @Test
    void zeroBytesTurnsItOff() {
        IssueListCache cache = cache(0, 100);
        page(cache, key(1), 1);
        page(cache, key(1), 1);
        assertThat(loads).hasValue(2);
        assertThat(cache.hits() + cache.misses()).isZero();
    }

    record Limits(long maxBytes, int maxEntries) implements IssueConfig, IssueConfig.ListCache {

        @Override
        public String templateDirectory() {
            return ".shoal/ISSUE_TEMPLATE";
        }

        @Override
        public int maxTemplates() {
            return 50;
        }

        @Override
        public int maxTemplateBytes() {
            return 65536;
        }

        @Override
        public int maxDiffChars() {
            return 5_000_000;
        }

        @Override
        public int repoCacheMaxEntries() {
            return 0;
        }

        @Override
        public ListCache listCache() {
            return this;
        }
    }
}
