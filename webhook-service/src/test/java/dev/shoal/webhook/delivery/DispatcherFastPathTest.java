package dev.shoal.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import dev.shoal.webhook.delivery.repository.DeliveryRepository;
import dev.shoal.webhook.delivery.service.Dispatcher;
import dev.shoal.webhook.support.Api;
import dev.shoal.webhook.support.Receiver.Received;
import dev.shoal.webhook.support.Receiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The fast path of an ordered hook: the statement that records a success claims the hook's next
 * delivery, which goes out at once. It must keep the guarantees of the slow path: event order, one
 * at a time, each delivery once with its own uuid, and rows claimed by a process that died before
 * sending go out once their lease ends, with the uuid they already had.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "webhook_test"))
class DispatcherFastPathTest {

    private static final int N = 30;

    @Inject
    Pool pool;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    Dispatcher dispatcher;

    @Inject
    ObjectMapper mapper;

    @Test
    void anOrderedHookChainsToItsNextDeliveryInOrderOneAtATime() {
        try (Receiver receiver = new Receiver()) {
            Api api = new Api();
            long hookId = api.createHook(receiver.url("/chain"), "chain-secret", "[\"push\"]");
            receiver.await("/chain", 1, Duration.ofSeconds(30));
            receiver.delay("/chain", Duration.ofMillis(10));
            Waits.until(Duration.ofSeconds(10), () -> dispatcher.inFlight() == 0, () -> "ping still in flight");
            long chainedBefore = dispatcher.chained();

            List<UUID> uuids = queue(hookId, N, true);

            List<Received> got = receiver.await("/chain", N + 1, Duration.ofSeconds(60)).subList(1, N + 1);
            assertThat(got.stream().map(this::readN).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, N).boxed().toList());
            assertThat(got.stream().map(r -> UUID.fromString(r.header("X-Shoal-Delivery"))).toList())
                    .containsExactlyElementsOf(uuids);
            assertThat(receiver.peakConcurrency("/chain")).isEqualTo(1);
            // only the first was claimed by a poll: every later one by its predecessor's completion
            // (at least: the counter is the process's, and other hooks may chain meanwhile)
            Waits.until(Duration.ofSeconds(10), () -> dispatcher.chained() - chainedBefore >= N - 1,
                    () -> "chained " + (dispatcher.chained() - chainedBefore) + " of " + (N - 1));
            Waits.until(Duration.ofSeconds(10), () -> count(hookId, "succeeded") == N + 1, () -> "not all rows succeeded");
            assertThat(attempts(hookId)).containsOnly(1);
            assertThat(receiver.at("/chain")).hasSize(N + 1);
        }
    }

    @Test
    void rowsClaimedByAProcessThatDiedBeforeSendingGoOutAfterTheLeaseWithTheirUuid() {
        try (Receiver receiver = new Receiver()) {
            Api api = new Api();
            long hookId = api.createHook(receiver.url("/died"), "died-secret", "[\"push\"]");
            receiver.await("/died", 1, Duration.ofSeconds(30));
            Waits.until(Duration.ofSeconds(10), () -> dispatcher.inFlight() == 0, () -> "ping still in flight");

            dispatcher.stop();
            List<UUID> uuids;
            List<ClaimedDelivery> taken;
            try {
                uuids = queue(hookId, 5, false);
                // another dispatcher claims what is due (the hook is ordered: its first row) and dies
                taken = deliveries.claim(pool, 100, Duration.ofMillis(1500)).await().atMost(Duration.ofSeconds(5))
                        .stream().filter(c -> c.hookId() == hookId).toList();
            } finally {
                dispatcher.start();
            }
            assertThat(taken).hasSize(1);
            assertThat(taken.get(0).deliveryUuid()).isEqualTo(uuids.get(0));

            // the dead claim holds the whole ordered hook until its lease ends, then all go out in order
            Waits.holds(Duration.ofMillis(700), () -> receiver.at("/died").size() == 1,
                    () -> "a delivery went out while the dead claim still held the hook: " + receiver.at("/died").size());
            List<Received> got = receiver.await("/died", 6, Duration.ofSeconds(30)).subList(1, 6);
            assertThat(got.stream().map(r -> UUID.fromString(r.header("X-Shoal-Delivery"))).toList())
                    .containsExactlyElementsOf(uuids);
            Waits.until(Duration.ofSeconds(10), () -> count(hookId, "succeeded") == 6, () -> "not all rows succeeded");
            Waits.holds(Duration.ofMillis(500), () -> receiver.at("/died").size() == 6,
                    () -> "a delivery went out twice: " + receiver.at("/died").size());
        }
    }

    private List<UUID> queue(long hookId, int count, boolean notify) {
        List<UUID> uuids = new ArrayList<>();
        pool.withTransaction(tx -> {
            Uni<Boolean> chain = Uni.createFrom().item(true);
            for (int i = 0; i < count; i++) {
                UUID uuid = UUID.randomUUID();
                uuids.add(uuid);
                byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                chain = chain.chain(() -> deliveries.insert(tx, hookId, uuid, "push", null, body));
            }
            return notify ? chain.chain(() -> deliveries.notifyDue(tx)).replaceWith(true) : chain;
        }).await().atMost(Duration.ofSeconds(10));
        return uuids;
    }

    private long count(long hookId, String status) {
        return pool.preparedQuery("SELECT count(*) FROM delivery WHERE hook_id = $1 AND status = $2")
                .execute(Tuple.of(hookId, status)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    private List<Integer> attempts(long hookId) {
        List<Integer> list = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT attempts FROM delivery WHERE hook_id = $1").execute(Tuple.of(hookId))
                .await().atMost(Duration.ofSeconds(5))) {
            list.add(row.getInteger(0));
        }
        return list;
    }

    private int readN(Received r) {
        try {
            return mapper.readTree(r.body()).path("n").asInt();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
