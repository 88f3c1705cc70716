package dev.shoal.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AnnouncedRowCacheTest {

    record Row(long id, String value) {
    }

    private final AnnouncedRowCache<String, Row> cache = new AnnouncedRowCache<>("test.cache", 2, Row::id, new SimpleMeterRegistry());
    private final AtomicInteger loads = new AtomicInteger();

    private Row find(String key, Row answer) {
        return cache.find(key, () -> {
            loads.incrementAndGet();
            return Uni.createFrom().item(answer);
        }).await().indefinitely();
    }

    @Test
    void nothingIsServedFromMemoryUntilChangesAreAnnounced() {
        find("a", new Row(1, "one"));
        find("a", new Row(1, "one"));
        assertThat(loads).hasValue(2);

        cache.listening();
        find("a", new Row(1, "one"));
        assertThat(find("a", new Row(1, "other"))).isEqualTo(new Row(1, "one"));
        assertThat(loads).hasValue(3);
        assertThat(cache.hits()).isEqualTo(1);

        cache.deaf();
        assertThat(find("a", new Row(1, "two"))).isEqualTo(new Row(1, "two"));
        assertThat(cache.holds(1)).isFalse();
    }

    @Test
    void anAnnouncedChangeDropsTheRowAndOnlyThatRow() {
        cache.listening();
        find("a", new Row(1, "one"));
        find("b", new Row(2, "two"));
        cache.changed(1);
        assertThat(cache.holds(1)).isFalse();
        assertThat(cache.holds(2)).isTrue();
        assertThat(find("a", new Row(1, "new"))).isEqualTo(new Row(1, "new"));
        cache.changedAll();
        assertThat(cache.holds(1)).isFalse();
        assertThat(cache.holds(2)).isFalse();
    }

    @Test
    void aRowReadAcrossAChangeIsNotKept() {
        cache.listening();
        AtomicReference<UniEmitter<? super Row>> pending = new AtomicReference<>();
        Uni<Row> slow = cache.find("a", () -> Uni.createFrom().<Row>emitter(emitter -> pending.set(emitter)));
        AtomicReference<Row> answered = new AtomicReference<>();
        slow.subscribe().with(answered::set);

        cache.changed(1);                       // committed and announced while the read was on its way
        pending.get().complete(new Row(1, "read before the change"));

        assertThat(answered.get()).isEqualTo(new Row(1, "read before the change"));
        assertThat(cache.holds(1)).as("a row read across a change").isFalse();
        assertThat(find("a", new Row(1, "after"))).isEqualTo(new Row(1, "after"));
    }

    @Test
    void aFullCacheStartsOver() {
        cache.listening();
        find("a", new Row(1, "one"));
        find("b", new Row(2, "two"));
        find("c", new Row(3, "three"));
        assertThat(cache.holds(3)).isTrue();
        assertThat(cache.holds(1) || cache.holds(2)).isFalse();
    }
}
