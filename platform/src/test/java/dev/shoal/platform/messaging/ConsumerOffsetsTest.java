package dev.shoal.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.testing.KafkaBroker;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The consumer commits its Kafka offsets once per poll, not per record: a handler that fails in the
 * middle of a batch still sees every event once, in order, and the group's committed offsets end
 * at the end of the log (nothing skipped, nothing left to redeliver).
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "platform_test"))
class ConsumerOffsetsTest {

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Test
    void aFailureInTheMiddleOfABatchLosesAndRepeatsNothingAndTheOffsetsReachTheEnd() throws Exception {
        String run = "order-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            names.add(run + i);
        }
        OrderProbeHandler.FAILURES.put(names.get(11), new AtomicInteger(2));
        // one transaction, one key: the events share a partition and arrive in one or few polls
        pool.withTransaction(tx -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String name : names) {
                chain = chain.chain(() -> outbox.append(tx, EventTypes.REPO_CREATED, new EventEnvelope.Actor(1L, "chris"),
                        new EventEnvelope.RepoRef(1L, "org", name, false), new RepoChanged(1, 1, "org", name, "", false, "main"), 1)
                        .replaceWithVoid());
            }
            return chain;
        }).await().atMost(Duration.ofSeconds(10));

        Waits.until(Duration.ofSeconds(60), () -> applied(run).size() >= names.size(), () -> "applied only " + applied(run));
        assertThat(applied(run)).containsExactlyElementsOf(names);

        try (Admin admin = Admin.create(adminConfig())) {
            Waits.untilAsserted(Duration.ofSeconds(60), () -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets("shoal.order-probe").partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                        .filter(p -> p.topic().equals(Topics.REPO))
                        .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
                Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                assertThat(ends).isNotEmpty();
                assertThat(caughtUp(committed, ends)).as("committed %s, log ends %s", committed, ends).isTrue();
            });
        }
    }

    private static List<String> applied(String run) {
        return OrderProbeHandler.APPLIED.stream().filter(n -> n.startsWith(run)).toList();
    }

    private static boolean caughtUp(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                && committed.get(e.getKey()).offset() == e.getValue());
    }

    private static Properties adminConfig() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
        return props;
    }
}
