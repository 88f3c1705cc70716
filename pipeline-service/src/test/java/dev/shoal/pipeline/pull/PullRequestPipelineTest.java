package dev.shoal.pipeline.pull;

import static dev.shoal.pipeline.support.Fixtures.asUser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.registry.service.RegistryService;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.secret.service.SecretService;
import dev.shoal.pipeline.settings.CiSettingsPatch;
import dev.shoal.pipeline.settings.service.CiSettingsService;
import dev.shoal.pipeline.support.Fixtures.AgentCreds;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.IssueEvent;
import dev.shoal.platform.event.schema.PullRequestEvent;
import dev.shoal.platform.outbox.KafkaClients;
import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * pull_request.* events arrive through the real Kafka broker and become pull_request pipelines:
 * event, branches, number, filters on the target branch, secrets by event (none for forks), the
 * agent's variables and registry credentials, the Drone and Woodpecker views, and the CI settings.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class PullRequestPipelineTest {

    private static final String PIPELINE = """
              test:
                image: ghcr.io/acme/builder:1
                commands: [make test]
                secrets: [pr_token, push_only]
              into-main:
                image: alpine:3
                commands: [echo into main]
                when:
                  event: pull_request
                  branch: main
              into-release:
                commands: [echo into release]
                when:
                  branch: release/*
              on-push:
                commands: [echo push]
                when:
                  event: push
            """;

    @Inject
    Fixtures fixtures;

    @Inject
    KafkaClients kafka;

    @Inject
    ObjectMapper mapper;

    @Inject
    SecretService secrets;

    @Inject
    RegistryService registries;

    @Inject
    CiSettingsService settings;

    private static String suite() {
        return "pr" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void pullRequestsBecomePipelinesWithTheirVariablesSecretsAndRegistries() throws Exception {
        String suite = suite();
        Repo repo = fixtures.repo("prs", "app-" + suite);
        GitRepos.commit(repo, "main", Map.of("README", "hello"));
        String head = GitRepos.commit(repo, "feature/login", Map.of(".shoal.yml", Fixtures.shoalYml(suite, PIPELINE)));
        String base = "/api/v1/repos/prs/" + repo.name();
        asUser().contentType(ContentType.JSON).body(Map.of("name", "pr_token", "value", "pr-s3cret-value",
                "events", List.of("pull_request"))).post(base + "/secrets").then().statusCode(201);
        asUser().contentType(ContentType.JSON).body(Map.of("name", "push_only", "value", "push-s3cret-value",
                "events", List.of("push"))).post(base + "/secrets").then().statusCode(201);
        SecretService.Owner owner = new SecretService.Owner("repo", repo.id(), repo.org(), "repository " + repo.fullName());
        registries.create(owner, "ghcr.io", "ci-bot", "ghcr-p4ssword").await().atMost(Duration.ofSeconds(5));
        registries.create(owner, "quay.io", "other", "quay-p4ssword").await().atMost(Duration.ofSeconds(5));

        EventEnvelope opened = envelope(EventTypes.PULL_REQUEST_OPENED.name(), repo, pr(3, "Add login", "feature/login",
                "main", head, null));
        try (KafkaProducer<String, String> producer = kafka.producer()) {
            send(producer, opened);
            send(producer, opened); // redelivered
            // A review is an update with the same head: still one pipeline.
            send(producer, envelope(EventTypes.PULL_REQUEST_UPDATED.name(), repo, pr(3, "Add login", "feature/login",
                    "main", head, null)));
            producer.flush();
        }
        awaitPipelines(base, 1);
        // the redelivered open and the review start nothing more: the count holds at one
        Waits.holds(Duration.ofSeconds(1), () -> pipelines(base).map(p -> p.getInt("total")).orElse(-1) == 1,
                () -> "pipelines: " + pipelines(base).map(JsonPath::prettyPrint).orElse("no answer"));
        JsonPath list = asUser().get(base + "/pipelines").then().statusCode(200).body("total", equalTo(1)).extract().jsonPath();
        assertThat(list.getString("pipelines[0].event")).isEqualTo("pull_request");
        assertThat(list.getString("pipelines[0].branch")).isEqualTo("feature/login");
        assertThat(list.getString("pipelines[0].commit_node")).isEqualTo(head);
        assertThat(list.getString("pipelines[0].status")).isEqualTo("pending");
        assertThat(list.getMap("pipelines[0].pull_request")).isEqualTo(Map.of("number", 3, "target_branch", "main",
                "title", "Add login"));
        assertThat(list.getString("pipelines[0].trigger_user.username")).isEqualTo("alice");
        // Filters see the target branch: into-main runs, into-release and on-push do not.
        asUser().get(base + "/pipelines/1").then().statusCode(200)
                .body("steps.name", equalTo(List.of("test", "into-main")));

        AgentCreds agent = Fixtures.registerAgent("pr-" + suite, Map.of("suite", suite));
        JsonPath work = fixtures.asAgent(agent.token()).post("/api/v1/ci/poll").then().statusCode(200).extract().jsonPath();
        assertThat(work.getString("event")).isEqualTo("pull_request");
        assertThat(work.getString("branch")).isEqualTo("feature/login");
        assertThat(work.getMap("pull_request")).isEqualTo(Map.of("number", 3, "source_branch", "feature/login",
                "target_branch", "main", "title", "Add login", "from_fork", false));
        assertThat(work.getMap("ci_env"))
                .containsEntry("CI_COMMIT_PULL_REQUEST", "3")
                .containsEntry("CI_COMMIT_SOURCE_BRANCH", "feature/login")
                .containsEntry("CI_COMMIT_TARGET_BRANCH", "main")
                .containsEntry("CI_COMMIT_BRANCH", "main")
                .containsEntry("CI_COMMIT_REF", "refs/pull/3/head")
                .containsEntry("CI_COMMIT_REFSPEC", "feature/login:main")
                .containsEntry("DRONE_PULL_REQUEST", "3")
                .containsEntry("DRONE_SOURCE_BRANCH", "feature/login")
                .containsEntry("DRONE_TARGET_BRANCH", "main")
                .containsEntry("DRONE_COMMIT_REF", "refs/pull/3/head")
                .containsEntry("DRONE_BUILD_EVENT", "pull_request")
                .containsEntry("CI_BRANCH", "feature/login");
        // Secrets allowed for pull_request reach the step; push-only ones do not.
        assertThat(work.getMap("steps[0].environment")).containsEntry("PR_TOKEN", "pr-s3cret-value")
                .doesNotContainKey("PUSH_ONLY");
        // Only the registry of an image the steps use (ghcr.io), not quay.io; alpine is Docker Hub (none stored).
        assertThat(work.getList("registries")).containsExactly(Map.of("address", "ghcr.io", "username", "ci-bot",
                "password", "ghcr-p4ssword"));

        // A step printing the registry password or a secret gets it masked in the stored log.
        long stepId = work.getLong("steps[0].id");
        fixtures.asAgent(agent.token()).contentType("text/plain").body("login ghcr-p4ssword and pr-s3cret-value\n")
                .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(204);
        String log = asUser().get(base + "/pipelines/1/steps/1/log").then().statusCode(200).extract().asString();
        assertThat(log).isEqualTo("login ******** and ********\n");

        // Drone: event pull_request, ref refs/pull/N/head, source and target.
        given().auth().oauth2(Fixtures.userToken()).get("/api/repos/prs/" + repo.name() + "/builds/1").then().statusCode(200)
                .body("event", equalTo("pull_request")).body("ref", equalTo("refs/pull/3/head"))
                .body("source", equalTo("feature/login")).body("target", equalTo("main"))
                .body("title", equalTo("Add login"));
        // Woodpecker: branch is the target, refspec source:target, the open pull requests listed.
        String wp = "/api/repos/" + repo.id();
        woodpecker(repo).get(wp + "/pipelines/1").then().statusCode(200)
                .body("event", equalTo("pull_request")).body("ref", equalTo("refs/pull/3/head"))
                .body("branch", equalTo("main")).body("refspec", equalTo("feature/login:main"))
                .body("title", equalTo("Add login")).body("from_fork", equalTo(false));
        woodpecker(repo).get(wp + "/pull_requests").then().statusCode(200)
                .body("index", equalTo(List.of("3"))).body("title", equalTo(List.of("Add login")));
        woodpecker(repo).queryParam("perPage", "0").get(wp + "/pull_requests").then().statusCode(400);

        // A new head (a push to the PR's branch) builds again; closing the PR takes it off the open list.
        String second = GitRepos.commit(repo, "feature/login", Map.of("src/login.txt", "v2"));
        try (KafkaProducer<String, String> producer = kafka.producer()) {
            send(producer, envelope(EventTypes.PULL_REQUEST_UPDATED.name(), repo, pr(3, "Add login (v2)", "feature/login",
                    "main", second, null)));
            send(producer, envelope(EventTypes.PULL_REQUEST_CLOSED.name(), repo, closed(pr(3, "Add login (v2)",
                    "feature/login", "main", second, null))));
            producer.flush();
        }
        awaitPipelines(base, 2);
        asUser().get(base + "/pipelines/2").then().statusCode(200).body("commit_node", equalTo(second))
                .body("pull_request.title", equalTo("Add login (v2)"));
        Waits.until(Duration.ofSeconds(20), () -> woodpecker(repo).get(wp + "/pull_requests").then().extract().jsonPath()
                .getList("").isEmpty(), () -> "the closed pull request is still listed");
        woodpecker(repo).get(wp + "/pull_requests").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void settingsDecideAndForksNeverGetSecrets() throws Exception {
        String suite = suite();
        Repo off = fixtures.repo("prs", "off-" + suite);
        Repo gated = fixtures.repo("prs", "gated-" + suite);
        Repo forked = fixtures.repo("prs", "forked-" + suite);
        String offHead = GitRepos.commit(off, "topic", Map.of(".shoal.yml", Fixtures.shoalYml(suite, PIPELINE)));
        String gatedHead = GitRepos.commit(gated, "topic", Map.of(".shoal.yml", Fixtures.shoalYml(suite, PIPELINE)));
        String forkHead = GitRepos.commit(forked, "topic", Map.of(".shoal.yml", Fixtures.shoalYml(suite, PIPELINE)));
        settings.update(off.id(), CiSettingsPatch.builder().allowPr(false).build()).await().atMost(Duration.ofSeconds(5));
        settings.update(gated.id(), CiSettingsPatch.builder().requireApproval("pull_requests").build())
                .await().atMost(Duration.ofSeconds(5));
        asUser().contentType(ContentType.JSON).body(Map.of("name", "pr_token", "value", "fork-must-not-see",
                "events", List.of("pull_request"))).post("/api/v1/repos/prs/" + forked.name() + "/secrets")
                .then().statusCode(201);
        try (KafkaProducer<String, String> producer = kafka.producer()) {
            send(producer, envelope(EventTypes.PULL_REQUEST_OPENED.name(), off, pr(1, "Off", "topic", "main", offHead, null)));
            send(producer, envelope(EventTypes.PULL_REQUEST_OPENED.name(), gated, pr(1, "Gated", "topic", "main", gatedHead, null)));
            send(producer, envelope(EventTypes.PULL_REQUEST_OPENED.name(), forked, pr(1, "Fork", "topic", "main", forkHead, true)));
            producer.flush();
        }
        // One partition, in order: once the last repository has its pipeline, the first event was handled too.
        awaitPipelines("/api/v1/repos/prs/" + forked.name(), 1);
        asUser().get("/api/v1/repos/prs/" + off.name() + "/pipelines").then().statusCode(200).body("total", equalTo(0));
        asUser().get("/api/v1/repos/prs/" + gated.name() + "/pipelines/1").then().statusCode(200)
                .body("status", equalTo("blocked")).body("pull_request.number", equalTo(1));
        // A fork's pull request waits for approval (default require_approval 'forks'), then runs without secrets.
        asUser().get("/api/v1/repos/prs/" + forked.name() + "/pipelines/1").then().statusCode(200)
                .body("status", equalTo("blocked"));
        woodpecker(forked).post("/api/repos/" + forked.id() + "/pipelines/1/approve").then().statusCode(200)
                .body("from_fork", equalTo(true));
        AgentCreds agent = Fixtures.registerAgent("fork-" + suite, Map.of("suite", suite));
        JsonPath work = fixtures.asAgent(agent.token()).post("/api/v1/ci/poll").then().statusCode(200).extract().jsonPath();
        assertThat(work.getString("repo")).isEqualTo(forked.name());
        assertThat(work.getBoolean("pull_request.from_fork")).isTrue();
        assertThat(work.getMap("steps[0].environment")).doesNotContainKey("PR_TOKEN");
        assertThat(work.prettify()).doesNotContain("fork-must-not-see");
        fixtures.asAgent(agent.token()).post("/api/v1/ci/poll").then().statusCode(204);

        // The rule itself, at the service: the same secret, same event, given to a same-repository PR only.
        var pool = fixtures.pool();
        assertThat(secrets.secretsFor(pool, forked, "pull_request", true).await().atMost(Duration.ofSeconds(5))).isEmpty();
        assertThat(secrets.secretsFor(pool, forked, "pull_request", false).await().atMost(Duration.ofSeconds(5)))
                .containsKey("pr_token");
        assertThat(secrets.secretsFor(pool, forked, "push", false).await().atMost(Duration.ofSeconds(5))).isEmpty();
    }

    private static RequestSpecification woodpecker(Repo repo) {
        return given().auth().oauth2(InternalKeys.shared().userToken(5, "chris", List.of("read", "write", "admin"), 77L,
                repo.id(), "owner"));
    }

    private static JsonPath awaitPipelines(String base, int total) {
        return Waits.until(Duration.ofSeconds(60), () -> pipelines(base), p -> p.isPresent() && p.get().getInt("total") >= total,
                total + " pipeline(s) at " + base).orElseThrow();
    }

    private static Optional<JsonPath> pipelines(String base) {
        var answer = asUser().get(base + "/pipelines");
        return answer.statusCode() == 200 ? Optional.of(answer.jsonPath()) : Optional.empty();
    }

    private static PullRequestEvent.PullRequest pr(long number, String title, String source, String target, String head,
                                                   Boolean fromFork) {
        Instant now = Instant.now();
        return new PullRequestEvent.PullRequest(number * 10, number, title, "", "open", new IssueEvent.User(9L, "alice"),
                source, target, head, null, null, null, null, 0, now, now, fromFork);
    }

    private static PullRequestEvent.PullRequest closed(PullRequestEvent.PullRequest pr) {
        return new PullRequestEvent.PullRequest(pr.id(), pr.number(), pr.title(), pr.body(), "closed", pr.author(),
                pr.sourceBookmark(), pr.targetBranch(), pr.headSha(), pr.baseSha(), null, null, null, 0, pr.createdAt(),
                Instant.now(), pr.fromFork());
    }

    private EventEnvelope envelope(String type, Repo repo, PullRequestEvent.PullRequest pr) {
        return new EventEnvelope(UUID.randomUUID(), type, 1, Instant.now(), new EventEnvelope.Actor(9L, "alice"),
                new EventEnvelope.RepoRef(repo.id(), repo.org(), repo.name(), false),
                mapper.valueToTree(new PullRequestEvent(pr, null)));
    }

    private void send(KafkaProducer<String, String> producer, EventEnvelope event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.ISSUE, String.valueOf(event.repo().id()), mapper.writeValueAsString(event)))
                .get();
    }
}
