package dev.shoal.pipeline.compat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.IssueEvent;
import dev.shoal.platform.event.schema.PullRequestEvent;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.outbox.KafkaClients;
import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A push's head commit (message, author, email, commit time) reaches the pipeline through the real
 * broker and is answered by the Drone build and the Woodpecker pipeline (issue 21); a restart keeps
 * it; a push from an older producer ("Name <email>" only) still fills name and email. Pipelines no
 * push described (manual, cron, pull request) ask repo-service for their commit.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class CommitFactsTest {

    private static final String ZEROS = "0".repeat(40);

    @Inject
    KafkaClients kafka;

    @Inject
    ObjectMapper mapper;

    @Inject
    Fixtures fixtures;

    @Test
    void theHeadCommitOfAPushFillsDroneBuildsAndWoodpeckerPipelines() throws Exception {
        String name = "facts-" + UUID.randomUUID().toString().substring(0, 6);
        Repo repo = new Repo(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 6_000_000_000L,
                77L, "facts", name, false, "main");
        GitRepos.create(repo);
        String sha = GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml("facts-" + name, """
                  test:
                    commands: [make test]
                """)));
        Instant committed = Instant.parse("2025-03-04T05:06:07Z");
        String message = "Fix the frobnicator\n\nIt spun backwards.";
        RepoPushed.Commit head = new RepoPushed.Commit(sha, message, "Grace Hopper <Grace@Example.com>", "Grace Hopper",
                "Grace@Example.com", committed);
        EventEnvelope.RepoRef ref = new EventEnvelope.RepoRef(repo.id(), repo.org(), repo.name(), false);
        String older = GitRepos.commit(repo, "legacy", Map.of("x.txt", "x"));
        try (KafkaProducer<String, String> producer = kafka.producer()) {
            send(producer, envelope(EventTypes.REPO_CREATED.name(), ref,
                    new RepoChanged(repo.id(), 77L, repo.org(), repo.name(), "", false, "main")));
            send(producer, envelope(EventTypes.REPO_PUSHED.name(), ref, new RepoPushed("refs/heads/main", ZEROS, sha,
                    List.of(head), new RepoPushed.Pusher(9L, "alice"), head)));
            // An older producer: no head_commit, only "Name <email>" on the pushed commit.
            send(producer, envelope(EventTypes.REPO_PUSHED.name(), ref, new RepoPushed("refs/heads/legacy", ZEROS, older,
                    List.of(new RepoPushed.Commit(older, "Old style", "Ada Lovelace <ada@example.com>")),
                    new RepoPushed.Pusher(9L, "alice"))));
            producer.flush();
        }
        RequestSpecification drone = Fixtures.asUser();
        String builds = "/api/repos/" + repo.org() + "/" + repo.name() + "/builds";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                Fixtures.asUser().get(builds).then().extract().jsonPath().getList("$").size() == 2);

        String avatar = "https://www.gravatar.com/avatar/" + sha256("grace@example.com") + "?d=identicon";
        JsonPath build = drone.get(builds + "/1").then().statusCode(200).extract().jsonPath();
        assertThat(build.getString("after")).isEqualTo(sha);
        assertThat(build.getString("message")).isEqualTo(message);
        assertThat(build.getString("author_name")).isEqualTo("Grace Hopper");
        assertThat(build.getString("author_email")).isEqualTo("Grace@Example.com");
        assertThat(build.getString("author_avatar")).isEqualTo(avatar);
        assertThat(build.getString("author_login")).isEqualTo("alice");
        assertThat(build.getLong("timestamp")).isEqualTo(committed.getEpochSecond());

        RequestSpecification woodpecker = given().auth().oauth2(InternalKeys.shared().userToken(5, "chris",
                List.of("read", "write", "admin"), 77L, repo.id(), "owner"));
        JsonPath pipeline = woodpecker.get("/api/repos/" + repo.id() + "/pipelines/1").then().statusCode(200)
                .extract().jsonPath();
        assertThat(pipeline.getString("commit")).isEqualTo(sha);
        assertThat(pipeline.getString("message")).isEqualTo(message);
        assertThat(pipeline.getString("author")).isEqualTo("Grace Hopper");
        assertThat(pipeline.getString("author_email")).isEqualTo("Grace@Example.com");
        assertThat(pipeline.getString("author_avatar")).isEqualTo(avatar);
        assertThat(pipeline.getString("sender")).isEqualTo("alice");
        assertThat(pipeline.getLong("timestamp")).isEqualTo(committed.getEpochSecond());
        JsonPath metadata = woodpecker.get("/api/repos/" + repo.id() + "/pipelines/1/metadata").then().statusCode(200)
                .extract().jsonPath();
        assertThat(metadata.getString("curr.commit.message")).isEqualTo(message);
        assertThat(metadata.getString("curr.commit.author.email")).isEqualTo("Grace@Example.com");

        JsonPath legacy = drone.get(builds + "/2").then().statusCode(200).extract().jsonPath();
        assertThat(legacy.getString("message")).isEqualTo("Old style");
        assertThat(legacy.getString("author_name")).isEqualTo("Ada Lovelace");
        assertThat(legacy.getString("author_email")).isEqualTo("ada@example.com");

        // A restart builds the same commit: it keeps the commit's facts.
        drone.post(builds + "/1").then().statusCode(200);
        JsonPath restarted = drone.get(builds + "/3").then().statusCode(200).extract().jsonPath();
        assertThat(restarted.getString("message")).isEqualTo(message);
        assertThat(restarted.getString("author_email")).isEqualTo("Grace@Example.com");
        assertThat(restarted.getLong("timestamp")).isEqualTo(committed.getEpochSecond());

        // A manual build asks repo-service for the commit: its facts, not the push event's nor who started it.
        drone.post(builds + "?branch=main").then().statusCode(200);
        JsonPath manual = drone.get(builds + "/4").then().statusCode(200).extract().jsonPath();
        assertThat(manual.getString("message")).isEqualTo("change\n");
        assertThat(manual.getString("author_name")).isEqualTo("Test");
        assertThat(manual.getString("author_email")).isEqualTo("test@example.com");
        assertThat(manual.getString("author_login")).isEqualTo("chris");
    }

    /** Cron, manual and pull request pipelines carry their head commit's facts too, asked of repo-service. */
    @Test
    void cronManualAndPullRequestPipelinesCarryTheirCommitNotTheirStarter() throws Exception {
        Repo repo = fixtures.repo("facts", "started-" + UUID.randomUUID().toString().substring(0, 6));
        String yml = Fixtures.shoalYml("started-" + repo.name(), """
                  test:
                    commands: [make test]
                """);
        String main = GitRepos.commit(repo, "main", Map.of(".shoal.yml", yml));
        String feature = GitRepos.commit(repo, "feature", Map.of("x.txt", "x"));
        RequestSpecification drone = Fixtures.asUser();
        String builds = "/api/repos/" + repo.org() + "/" + repo.name() + "/builds";
        RequestSpecification woodpecker = given().auth().oauth2(InternalKeys.shared().userToken(5, "chris",
                List.of("read", "write", "admin"), 77L, repo.id(), "owner"));
        String pipelines = "/api/repos/" + repo.id() + "/pipelines/";

        // manual (Drone), then cron (run now through Woodpecker), then a pull request (its event)
        drone.post(builds + "?branch=main").then().statusCode(200);
        int cron = Fixtures.asUser().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("name", "nightly", "schedule", "@daily", "branch", "main"))
                .post("/api/v1/repos/" + repo.org() + "/" + repo.name() + "/cron").then().statusCode(201).extract().path("data.id");
        woodpecker.post("/api/repos/" + repo.id() + "/cron/" + cron).then().statusCode(200)
                .body("event", org.hamcrest.Matchers.equalTo("cron")).body("message", org.hamcrest.Matchers.equalTo("change\n"));
        try (KafkaProducer<String, String> producer = kafka.producer()) {
            Instant now = Instant.now();
            PullRequestEvent.PullRequest pr = new PullRequestEvent.PullRequest(70, 7, "Add x", "", "open",
                    new IssueEvent.User(9L, "alice"), "feature", "main", feature, null, null, null, null, 0, now, now, false);
            EventEnvelope opened = new EventEnvelope(UUID.randomUUID(), EventTypes.PULL_REQUEST_OPENED.name(), 1, now,
                    new EventEnvelope.Actor(9L, "alice"), new EventEnvelope.RepoRef(repo.id(), repo.org(), repo.name(), false),
                    mapper.valueToTree(new PullRequestEvent(pr, null)));
            producer.send(new ProducerRecord<>(Topics.ISSUE, String.valueOf(repo.id()), mapper.writeValueAsString(opened))).get();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                Fixtures.asUser().get(builds).then().extract().jsonPath().getList("$").size() == 3);

        for (int n = 1; n <= 3; n++) {
            String sha = n == 3 ? feature : main;
            Instant committed = java.time.OffsetDateTime.parse(new String(GitRepos.gitBytes(GitRepos.bare(repo), true, "log", "-1",
                    "--format=%cI", sha), StandardCharsets.UTF_8).trim()).toInstant();
            JsonPath build = drone.get(builds + "/" + n).then().statusCode(200).extract().jsonPath();
            assertThat(build.getString("event")).isEqualTo(List.of("custom", "cron", "pull_request").get(n - 1));
            assertThat(build.getString("after")).isEqualTo(sha);
            assertThat(build.getString("message")).isEqualTo("change\n");
            assertThat(build.getString("author_name")).isEqualTo("Test");
            assertThat(build.getString("author_email")).isEqualTo("test@example.com");
            assertThat(build.getLong("timestamp")).isEqualTo(committed.getEpochSecond());
            JsonPath pipeline = woodpecker.get(pipelines + n).then().statusCode(200).extract().jsonPath();
            assertThat(pipeline.getString("commit")).isEqualTo(sha);
            assertThat(pipeline.getString("message")).isEqualTo("change\n");
            assertThat(pipeline.getString("author")).isEqualTo("Test");
            assertThat(pipeline.getString("author_email")).isEqualTo("test@example.com");
            assertThat(pipeline.getLong("timestamp")).isEqualTo(committed.getEpochSecond());
        }
    }

    private static String sha256(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%064x", new BigInteger(1, digest));
    }

    private EventEnvelope envelope(String type, EventEnvelope.RepoRef ref, Object data) {
        return new EventEnvelope(UUID.randomUUID(), type, 1, Instant.now(), new EventEnvelope.Actor(9L, "alice"), ref,
                mapper.valueToTree(data));
    }

    private void send(KafkaProducer<String, String> producer, EventEnvelope event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.REPO, String.valueOf(event.repo().id()), mapper.writeValueAsString(event))).get();
    }
}
