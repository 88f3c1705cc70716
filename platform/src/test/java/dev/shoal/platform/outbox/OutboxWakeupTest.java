package dev.shoal.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The relay is woken by the commit of the transaction that wrote an event (the outbox table's
 * trigger announces it, the relay listens), not by its poll: here the poll and the idle check are
 * both a minute, so an event published within seconds was announced. And a listening connection
 * that is killed is replaced: events written after that are woken for too.
 */
@QuarkusTest
@TestProfile(OutboxWakeupTest.SlowPolls.class)
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "platform_test"))
class OutboxWakeupTest {

    public static class SlowPolls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shoal.outbox.poll-interval", "60s", "shoal.outbox.idle-check", "60s");
        }
    }

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Test
    void aCommittedEventWakesTheRelay() {
        Waits.until(Duration.ofSeconds(30), relay::listening, () -> "the relay never listened");
        Waits.until(Duration.ofSeconds(30), () -> backlog() == 0, () -> "events of earlier tests still unsent: " + backlog());
        for (int round = 0; round < 3; round++) {
            long before = relay.published();
            writeEvent("wakeup-" + round);
            Waits.until(Duration.ofSeconds(10), () -> relay.published() > before,
                    () -> "the event was not published within 10 s: no announcement woke the relay");
        }
    }

    @Test
    void aKilledListeningConnectionIsReplaced() {
        Waits.until(Duration.ofSeconds(30), relay::listening, () -> "the relay never listened");
        long killed = pool.query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE pid <> pg_backend_pid() AND query IN ('LISTEN " + OutboxRelay.CHANNEL + "', 'SELECT ''"
                        + OutboxRelay.CHANNEL + "'' AS listening')")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertThat(killed).as("the relay's listening connection, found by its last query").isEqualTo(1);
        Waits.until(Duration.ofSeconds(10), () -> !relay.listening(), () -> "the relay did not notice its connection died");
        Waits.until(Duration.ofSeconds(30), relay::listening, () -> "the relay did not listen again");
        long before = relay.published();
        writeEvent("after-reconnect");
        Waits.until(Duration.ofSeconds(10), () -> relay.published() > before, () -> "the event after the reconnect was not woken for");
    }

    private long backlog() {
        return relay.backlog().await().atMost(Duration.ofSeconds(5));
    }

    private void writeEvent(String name) {
        ProbeEvents.write(pool, outbox, name);
    }
}
