package dev.shoal.platform.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue #18 item 5: an event whose handler always fails is retried a bounded number of times, then
 * lands in the dead-letter topic with where it came from and why, is counted, and the events after
 * it on the same partition are applied. Replaying it once its handler succeeds applies it once.
 */
@QuarkusTest
@TestProfile(DeadLetterTest.FewAttempts.class)
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "platform_test"))
class DeadLetterTest {

    public static class FewAttempts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shoal.consumer.max-attempts", "3", "shoal.consumer.retry-backoff", "50ms");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Inject
    DeadLetterTopic deadLetters;

    @Inject
    IdempotentConsumers consumers;

    @Test
    void aPoisonEventIsDeadLetteredTheRestOfItsPartitionIsAppliedAndAReplayAppliesItOnce() throws Exception {
        String run = "dl-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            names.add(run + i);
        }
        String poison = names.get(3);
        PoisonProbeHandler.POISON.add(poison);
        // one transaction, one key (aggregate id 1): every event on the same partition, in order
        pool.withTransaction(tx -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String name : names) {
                chain = chain.chain(() -> outbox.append(tx, EventTypes.REPO_CREATED, new EventEnvelope.Actor(1L, "chris"),
                        new EventEnvelope.RepoRef(77L, "org", name, false), new RepoChanged(77, 1, "org", name, "", false, "main"), 1)
                        .replaceWithVoid());
            }
            return chain;
        }).await().atMost(Duration.ofSeconds(10));

        List<String> others = names.stream().filter(n -> !n.equals(poison)).toList();
        await(() -> applied(run).size() == others.size());
        assertThat(applied(run)).containsExactlyElementsOf(others);

        DeadLetterTopic.Entry entry = awaitFound(() -> deadLetters.list().stream()
                .filter(e -> e.letter().value() != null && e.letter().value().contains(poison)).findFirst());
        DeadLetter letter = entry.letter();
        assertThat(entry.id()).matches("\\d+-\\d+");
        assertThat(letter.topic()).isEqualTo(Topics.REPO);
        assertThat(letter.key()).isEqualTo("1"); // the aggregate id the outbox was given
        assertThat(letter.offset()).isGreaterThanOrEqualTo(0);
        assertThat(letter.consumer()).isEqualTo("poison-probe");
        assertThat(letter.consumerGroup()).isEqualTo("shoal.poison-probe");
        assertThat(letter.service()).isEqualTo(consumers.service()).isNotBlank();
        assertThat(letter.eventType()).isEqualTo("repo.created");
        assertThat(letter.errorClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(letter.errorMessage()).contains("poisoned on purpose: " + poison);
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.deadLetteredAt()).isNotNull();
        EventEnvelope original = JSON.readValue(letter.value(), EventEnvelope.class);
        assertThat(original.repo().name()).isEqualTo(poison);
        assertThat(letter.eventId()).isEqualTo(original.id().toString());
        // only the poison one: the other handlers of shoal.repo in this module applied it
        assertThat(deadLetters.list()).filteredOn(e -> e.letter().value() != null && e.letter().value().contains(run)).hasSize(1);

        assertThat(consumers.deadLettered("poison-probe", Topics.REPO)).isGreaterThanOrEqualTo(1);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("shoal_events_dead_lettered_total\\{consumer=\"poison-probe\",service=\""
                + consumers.service() + "\",topic=\"shoal.repo\"} [1-9]");

        // the handler is fixed; a replay applies the event once, a second replay changes nothing
        PoisonProbeHandler.POISON.remove(poison);
        DeadLetterTopic.Entry replayed = deadLetters.replay(entry.id());
        assertThat(replayed.letter().eventId()).isEqualTo(letter.eventId());
        await(() -> applied(run).contains(poison));
        deadLetters.replay(entry.id());
        String marker = run + "after-replay";
        pool.withTransaction(tx -> outbox.append(tx, EventTypes.REPO_CREATED, new EventEnvelope.Actor(1L, "chris"),
                new EventEnvelope.RepoRef(77L, "org", marker, false), new RepoChanged(77, 1, "org", marker, "", false, "main"), 1)
                .replaceWithVoid()).await().atMost(Duration.ofSeconds(10));
        await(() -> applied(run).contains(marker));
        assertThat(applied(run)).filteredOn(poison::equals).hasSize(1);

        // an id that names nothing is a 404, a malformed one a 400
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deadLetters.replay("0-999999999"))
                .isInstanceOf(dev.shoal.platform.error.NotFoundException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deadLetters.replay("../x"))
                .isInstanceOf(dev.shoal.platform.error.ValidationException.class);
    }

    private static List<String> applied(String run) {
        return PoisonProbeHandler.APPLIED.stream().filter(n -> n.startsWith(run)).toList();
    }

    private static void await(Supplier<Boolean> condition) {
        Waits.until(Duration.ofSeconds(60), condition::get, () -> "condition not met");
    }

    private static <T> T awaitFound(Supplier<Optional<T>> found) {
        return Waits.until(Duration.ofSeconds(60), found, Optional::isPresent, "the value").orElseThrow();
    }
}
