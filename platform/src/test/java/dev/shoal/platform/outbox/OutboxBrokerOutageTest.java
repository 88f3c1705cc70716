package dev.shoal.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.testing.KafkaBroker;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * Events written while the broker is down wait in the outbox and all arrive once it is back:
 * the "never write then send" rule of ARCHITECTURE.md, shown against a real broker.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "platform_test"))
class OutboxBrokerOutageTest {

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Inject
    KafkaClients kafka;

    @Inject
    OutboxRelay relay;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    @Test
    void eventsWrittenDuringBrokerOutageAreAllPublished() throws Exception {
        String marker = UUID.randomUUID().toString();
        Set<UUID> written = new HashSet<>();
        KafkaBroker broker = KafkaBroker.shared();

        written.addAll(writeEvents(marker, 20));
        broker.stop();
        try {
            written.addAll(writeEvents(marker, 30));
            // while the broker is down nothing is relayed: what was written during the outage stays in the table
            Waits.holds(Duration.ofMillis(1500), () -> backlog() >= 30, () -> "backlog during the outage: " + backlog());
            written.addAll(writeEvents(marker, 10));
            assertThat(relay.backlog().await().atMost(Duration.ofSeconds(5))).isGreaterThanOrEqualTo(40);
        } finally {
            broker.start();
        }

        Set<UUID> received = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = kafka.consumer("outage-test-" + marker)) {
            consumer.subscribe(List.of(Topics.REPO));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!received.containsAll(written) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value().contains(marker)) {
                        received.add(mapper.readValue(record.value(), EventEnvelope.class).id());
                    }
                }
            }
        }
        assertThat(received).containsAll(written);
        assertThat(relay.backlog().await().atMost(Duration.ofSeconds(5))).isZero();
    }

    private long backlog() {
        return relay.backlog().await().atMost(Duration.ofSeconds(5));
    }

    private List<UUID> writeEvents(String marker, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> ProbeEvents.write(pool, outbox, marker)).toList();
    }
}
