package dev.shoal.pipeline.pipeline;

import static dev.shoal.pipeline.support.Fixtures.asUser;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.outbox.KafkaClients;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** repo.* events arrive through the real Kafka broker and the idempotent consumer. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class PushTriggerTest {

    private static final String ZEROS = "0".repeat(40);

    @Inject
    KafkaClients kafka;

    @Inject
    ObjectMapper mapper;

    @Test
    void pushesAndTagsBecomePipelinesOnce() throws Exception {
        String name = "pushed-" + UUID.randomUUID().toString().substring(0, 6);
        Repo repo = new Repo(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 5_000_000_000L,
                78L, "events", name, false, "trunk");
        GitRepos.create(repo);
        String sha = GitRepos.commit(repo, "trunk", Map.of(".shoal.yml", Fixtures.shoalYml("push-" + name, """
                  test:
                    commands: [make test]
                """)));
        GitRepos.tag(repo, "v1.0", sha);
        EventEnvelope.RepoRef ref = new EventEnvelope.RepoRef(repo.id(), repo.org(), repo.name(), false);
        EventEnvelope pushed = envelope(EventTypes.REPO_PUSHED.name(), ref,
                new RepoPushed("refs/heads/trunk", ZEROS, sha, List.of(), new RepoPushed.Pusher(9L, "alice")));
        try (KafkaProducer<String, String> producer = kafka.producer()) {
            send(producer, envelope(EventTypes.REPO_CREATED.name(), ref,
                    new RepoChanged(repo.id(), 78L, repo.org(), repo.name(), "", false, "trunk")));
            send(producer, pushed);
            send(producer, pushed); // redelivered: still one pipeline
            send(producer, envelope(EventTypes.REPO_PUSHED.name(), ref,
                    new RepoPushed("refs/tags/v1.0", ZEROS, sha, List.of(), new RepoPushed.Pusher(9L, "alice"))));
            send(producer, envelope(EventTypes.REPO_PUSHED.name(), ref,
                    new RepoPushed("refs/heads/gone", sha, ZEROS, List.of(), new RepoPushed.Pusher(9L, "alice"))));
            producer.flush();
        }
        String base = "/api/v1/repos/events/" + name + "/pipelines";
        Waits.until(Duration.ofSeconds(60), () -> total(base), n -> n >= 2, "two pipelines at " + base);
        // the redelivered push and the branch deletion start nothing: the count holds at two
        Waits.holds(Duration.ofSeconds(1), () -> total(base) == 2, () -> "pipelines at " + base + ": " + total(base));
        asUser().get(base).then().statusCode(200).body("total", equalTo(2))
                .body("pipelines[1].event", equalTo("push"))
                .body("pipelines[1].branch", equalTo("trunk"))
                .body("pipelines[1].commit_node", equalTo(sha))
                .body("pipelines[1].trigger_user.username", equalTo("alice"))
                .body("pipelines[0].event", equalTo("tag"))
                .body("pipelines[0].branch", equalTo("v1.0"));
        // repo.created brought the default branch: a manual trigger without a branch uses it.
        asUser().contentType("application/json").body("{}").post(base).then().statusCode(201)
                .body("branch", equalTo("trunk")).body("number", equalTo(3));
    }

    private static int total(String base) {
        var answer = asUser().get(base);
        return answer.statusCode() == 200 ? answer.jsonPath().getInt("total") : -1;
    }

    private static EventEnvelope envelope(String type, EventEnvelope.RepoRef ref, Object data) {
        return new EventEnvelope(UUID.randomUUID(), type, 1, Instant.now(), new EventEnvelope.Actor(9L, "alice"), ref,
                new ObjectMapper().valueToTree(data));
    }

    private void send(KafkaProducer<String, String> producer, EventEnvelope event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.REPO, String.valueOf(event.repo().id()), mapper.writeValueAsString(event))).get();
    }
}
