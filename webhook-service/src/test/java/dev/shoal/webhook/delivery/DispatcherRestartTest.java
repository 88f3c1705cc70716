package dev.shoal.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Pending deliveries are rows, so a dispatcher that stops (or a process that dies holding claims)
 * loses none of them: after a restart every one goes out, with its own delivery uuid.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "webhook_test"))
class DispatcherRestartTest {

    private static final int N = 40;

    @Inject
    Pool pool;

    @Inject
    Dispatcher dispatcher;

    @Inject
    DeliveryRepository deliveries;

    @Test
    void deliveriesSurviveAStoppedDispatcherAndExpiredClaims() {
        try (Receiver receiver = new Receiver()) {
            receiver.delay("/restart", Duration.ofMillis(30));
            Api api = new Api();
            long hookId = api.createHook(receiver.url("/restart"), "restart-secret", "[\"push\"]");
            receiver.await("/restart", 1, Duration.ofSeconds(30));
            Waits.until(Duration.ofSeconds(10), () -> dispatcher.inFlight() == 0, () -> "ping still in flight");

            dispatcher.stop();
            List<UUID> uuids = new ArrayList<>();
            try {
                // let this hook's deliveries run in parallel so the restart has many in flight at once
                pool.preparedQuery("UPDATE hook SET parallel = TRUE WHERE id = $1").execute(Tuple.of(hookId))
                        .await().atMost(Duration.ofSeconds(5));
                pool.withTransaction(tx -> {
                    io.smallrye.mutiny.Uni<Boolean> chain = io.smallrye.mutiny.Uni.createFrom().item(true);
                    for (int i = 0; i < N; i++) {
                        UUID uuid = UUID.randomUUID();
                        uuids.add(uuid);
                        byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                        chain = chain.chain(() -> deliveries.insert(tx, hookId, uuid, "push", null, body));
                    }
                    return chain;
                }).await().atMost(Duration.ofSeconds(10));
                // a third were claimed by a process that died: one lease already over, one running out soon
                pool.preparedQuery("UPDATE delivery SET claim_token = gen_random_uuid(), claimed_until = now() - interval '1 second' "
                                + "WHERE hook_id = $1 AND event_type = 'push' AND id % 3 = 0")
                        .execute(Tuple.of(hookId)).await().atMost(Duration.ofSeconds(5));
                pool.preparedQuery("UPDATE delivery SET claim_token = gen_random_uuid(), claimed_until = now() + interval '2 seconds' "
                                + "WHERE hook_id = $1 AND event_type = 'push' AND id % 3 = 1")
                        .execute(Tuple.of(hookId)).await().atMost(Duration.ofSeconds(5));
            } finally {
                dispatcher.start();
            }

            // stop again mid-way: what is in flight finishes and is recorded, the rest waits as rows
            Waits.until(Duration.ofSeconds(30), () -> receiver.at("/restart").size() > 8, () -> "nothing delivered after start");
            dispatcher.stop();
            Waits.until(Duration.ofSeconds(10), () -> dispatcher.inFlight() == 0, () -> "attempts did not finish");
            int delivered = receiver.at("/restart").size() - 1;
            assertThat(delivered).isLessThan(N);
            dispatcher.start();

            Waits.until(Duration.ofSeconds(60), () -> receivedUuids(receiver).containsAll(uuids),
                    () -> "missing deliveries: " + (N - countReceived(receiver, uuids)));
            Waits.until(Duration.ofSeconds(10), () -> succeeded(hookId) == N + 1, () -> "not all rows succeeded");
            assertThat(receivedUuids(receiver)).hasSize(N + 1);
        } finally {
            dispatcher.start();
        }
    }

    private long succeeded(long hookId) {
        return pool.preparedQuery("SELECT count(*) FROM delivery WHERE hook_id = $1 AND status = 'succeeded'")
                .execute(Tuple.of(hookId)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    private static Set<UUID> receivedUuids(Receiver receiver) {
        Set<UUID> set = new HashSet<>();
        for (Received r : receiver.at("/restart")) {
            set.add(UUID.fromString(r.header("X-Shoal-Delivery")));
        }
        return set;
    }

    private static long countReceived(Receiver receiver, List<UUID> uuids) {
        Set<UUID> got = receivedUuids(receiver);
        return uuids.stream().filter(got::contains).count();
    }
}
