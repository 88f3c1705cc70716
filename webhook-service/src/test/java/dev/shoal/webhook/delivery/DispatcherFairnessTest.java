package dev.shoal.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.webhook.delivery.repository.DeliveryRepository;
import dev.shoal.webhook.delivery.service.Dispatcher;
import dev.shoal.webhook.support.Api;
import dev.shoal.webhook.support.Receiver;
import dev.shoal.webhook.support.Receiver.Received;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A slow receiver gets at most max-per-host (4) requests at once and does not hold up another
 * host; a hook that is not parallel gets its deliveries one at a time, in order.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "webhook_test"))
class DispatcherFairnessTest {

    @Inject
    Pool pool;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    Dispatcher dispatcher;

    @Inject
    ObjectMapper mapper;

    @Test
    void aSlowHostIsBoundedAndDoesNotStarveOthersWhileOrderedHooksStayInOrder() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Api slowRepo = new Api();
            long slowHook = slowRepo.createHook(receiver.url("/slow"), "slow-secret", "[\"push\"]");
            Api orderedRepo = new Api();
            // the same receiver under another host name: a separate lane
            String fastUrl = "http://localhost:" + receiver.port() + "/ordered";
            long orderedHook = orderedRepo.createHook(fastUrl, "ordered-secret", "[\"push\"]");
            receiver.await("/slow", 1, Duration.ofSeconds(30));
            receiver.await("/ordered", 1, Duration.ofSeconds(30));
            receiver.delay("/slow", Duration.ofMillis(2000));
            receiver.delay("/ordered", Duration.ofMillis(20));

            pool.preparedQuery("UPDATE hook SET parallel = TRUE WHERE id = $1").execute(Tuple.of(slowHook))
                    .await().atMost(Duration.ofSeconds(5));
            queue(slowHook, 12);
            queue(orderedHook, 6);

            List<Received> ordered = receiver.await("/ordered", 7, Duration.ofSeconds(30));
            // 12 requests of 2 s through 4 slots need at least 6 s (the test timeout is 3 s); the other host did not wait for them
            assertThat(receiver.at("/slow").size() - 1).isLessThan(12);
            List<Integer> sequence = ordered.subList(1, ordered.size()).stream()
                    .map(r -> readN(r)).toList();
            assertThat(sequence).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(receiver.peakConcurrency("/ordered")).isEqualTo(1);
            assertThat(ordered.get(1).header("Host")).isEqualTo("localhost:" + receiver.port());

            receiver.await("/slow", 13, Duration.ofSeconds(60));
            assertThat(receiver.peakConcurrency("/slow")).isEqualTo(4);
        }
    }

    private int readN(Received r) {
        try {
            return mapper.readTree(r.body()).path("n").asInt();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void queue(long hookId, int count) {
        pool.withTransaction(tx -> {
            Uni<Boolean> chain = Uni.createFrom().item(true);
            for (int i = 0; i < count; i++) {
                byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                chain = chain.chain(() -> deliveries.insert(tx, hookId, UUID.randomUUID(), "push", null, body));
            }
            return chain.chain(() -> deliveries.notifyDue(tx));
        }).await().atMost(Duration.ofSeconds(10));
    }
}
