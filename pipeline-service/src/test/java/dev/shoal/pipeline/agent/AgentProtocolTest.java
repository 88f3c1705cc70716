package dev.shoal.pipeline.agent;

import static dev.shoal.pipeline.support.Fixtures.asUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.Fixtures.AgentCreds;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class AgentProtocolTest {

    @Inject
    Fixtures fixtures;

    private static String suite() {
        return "s" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Repo repoWithPipelines(String name, String suite, int count) {
        Repo repo = fixtures.repo("ci", name);
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, """
                  build:
                    image: alpine
                    commands: [echo build]
                  test:
                    commands: [echo test]
                """)));
        for (int i = 0; i < count; i++) {
            Fixtures.trigger(repo, "main");
        }
        return repo;
    }

    private Response poll(AgentCreds agent) {
        return fixtures.asAgent(agent.token()).post("/api/v1/ci/poll");
    }

    @Test
    void registrationAndTokenAuthentication() {
        AgentCreds agent = Fixtures.registerAgent("auth-" + suite(), Map.of("os", "linux"));
        assertThat(agent.token()).startsWith("shoal_agent_").hasSizeGreaterThan(40);
        JsonPath list = asUser().queryParam("per_page", 100).get("/api/v1/admin/agents").then().statusCode(200)
                .body("pagination.per_page", equalTo(100)).extract().jsonPath();
        List<Map<String, Object>> agents = list.getList("data");
        assertThat(agents).anySatisfy(a -> assertThat(((Number) a.get("id")).longValue()).isEqualTo(agent.id()));
        assertThat(agents).allSatisfy(a -> assertThat(a).doesNotContainKey("token"));
        assertThat(list.prettyPrint()).doesNotContain(agent.token());

        fixtures.asAgent(null).post("/api/v1/ci/poll").then().statusCode(401).body("error.code", equalTo("unauthorized"));
        fixtures.asAgent("shoal_agent_" + "x".repeat(40)).post("/api/v1/ci/poll").then().statusCode(401)
                .body("error.code", equalTo("unauthorized"));
        // Right lookup prefix, wrong rest: the hash comparison refuses it.
        fixtures.asAgent(agent.token().substring(0, agent.token().length() - 1) + "?").post("/api/v1/ci/heartbeat")
                .then().statusCode(401);
        fixtures.asAgent("garbage").put("/api/v1/ci/steps/1/status").then().statusCode(401);
        fixtures.asAgent(agent.token()).post("/api/v1/ci/heartbeat").then().statusCode(200).body("cancel", hasSize(0));

        asUser().contentType(ContentType.JSON).body(Map.of("name", agent.token().isEmpty() ? "" : "bad name!"))
                .post("/api/v1/admin/agents").then().statusCode(400).body("error.code", equalTo("validation_failed"));
        asUser().delete("/api/v1/admin/agents/" + agent.id()).then().statusCode(204);
        asUser().delete("/api/v1/admin/agents/" + agent.id()).then().statusCode(404);
        poll(agent).then().statusCode(401);
    }

    @Test
    void concurrentPollsNeverClaimTheSamePipeline() throws Exception {
        String suite = suite();
        Repo repo = repoWithPipelines("race-" + suite, suite, 6);
        AgentCreds a = Fixtures.registerAgent("race-a-" + suite, Map.of("suite", suite));
        AgentCreds b = Fixtures.registerAgent("race-b-" + suite, Map.of("suite", suite));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<Response>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                AgentCreds agent = i % 2 == 0 ? a : b;
                futures.add(pool.submit((Callable<Response>) () -> poll(agent)));
            }
            List<Long> claimed = new ArrayList<>();
            int empty = 0;
            for (Future<Response> f : futures) {
                Response r = f.get();
                if (r.statusCode() == 204) {
                    empty++;
                } else {
                    assertThat(r.statusCode()).isEqualTo(200);
                    claimed.add(r.jsonPath().getLong("pipeline_id"));
                }
            }
            assertThat(claimed).hasSize(6);
            assertThat(new HashSet<>(claimed)).hasSize(6);
            assertThat(empty).isEqualTo(6);
        } finally {
            pool.shutdown();
        }
        poll(a).then().statusCode(204);
        asUser().get("/api/v1/repos/ci/" + repo.name() + "/pipelines").then().body("total", equalTo(6))
                .body("pipelines.status", equalTo(List.of("running", "running", "running", "running", "running", "running")));
        // An agent without the label does not see this suite's work (others' labelled work neither).
        Repo other = repoWithPipelines("other-" + suite, suite(), 1);
        poll(a).then().statusCode(204);
        assertThat(other).isNotNull();
    }

    /**
     * Issue 21: a Drone cancel once answered 500 when an agent claimed the same build at that moment.
     * Twenty rounds, each racing one claim against the cancel of the oldest queued pipeline (through
     * Drone's {@code DELETE …/builds/{n}} and the native cancel in turn): neither ever answers 5xx,
     * every cancel succeeds, and every pipeline ends cancelled, claimed or not.
     */
    @Test
    void cancelRacingAClaimNeverFailsAndAlwaysCancels() throws Exception {
        String suite = suite();
        int rounds = 20;
        Repo repo = repoWithPipelines("cancel-race-" + suite, suite, rounds);
        AgentCreds agent = Fixtures.registerAgent("cancel-race-" + suite, Map.of("suite", suite));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int n = 1; n <= rounds; n++) {
                String cancelPath = n % 2 == 0 ? "/api/repos/ci/" + repo.name() + "/builds/" + n
                        : "/api/v1/repos/ci/" + repo.name() + "/pipelines/" + n + "/cancel";
                boolean drone = n % 2 == 0;
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                Future<Response> claim = pool.submit(() -> {
                    start.await();
                    return poll(agent);
                });
                Future<Response> cancel = pool.submit(() -> {
                    start.await();
                    return drone ? asUser().delete(cancelPath) : asUser().post(cancelPath);
                });
                start.countDown();
                Response claimed = claim.get();
                Response cancelled = cancel.get();
                assertThat(claimed.statusCode()).as("round %d claim: %s", n, claimed.asString()).isIn(200, 204);
                assertThat(cancelled.statusCode()).as("round %d cancel: %s", n, cancelled.asString()).isEqualTo(200);
                asUser().get("/api/v1/repos/ci/" + repo.name() + "/pipelines/" + n).then().statusCode(200)
                        .body("status", equalTo("cancelled"));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void pollAnswerHasTheSeedShapeAndEventsAreWritten() {
        String suite = suite();
        Repo repo = repoWithPipelines("shape-" + suite, suite, 1);
        AgentCreds agent = Fixtures.registerAgent("shape-" + suite, Map.of("suite", suite));
        JsonPath work = poll(agent).then().statusCode(200).extract().jsonPath();
        // The seed's fields, plus Shoal's one addition: the pipeline's clone credential.
        assertThat(work.getMap("")).containsOnlyKeys("pipeline_id", "number", "commit_node", "branch", "event", "clone_url",
                "clone_token", "org", "repo", "steps", "ci_env");
        assertThat(work.getString("clone_token").split("\\.")).hasSize(3);
        assertThat(work.getString("clone_url")).isEqualTo("file://" + GitRepos.bare(repo));
        assertThat(work.getString("org")).isEqualTo("ci");
        assertThat(work.getString("event")).isEqualTo("manual");
        // A manual pipeline carries its head commit's facts too (issue 21), so the commit's author and message are here.
        assertThat(work.getMap("ci_env")).containsOnlyKeys("CI", "CI_PIPELINE_ID", "CI_COMMIT", "CI_BRANCH", "CI_REPO",
                        "CI_COMMIT_AUTHOR", "CI_COMMIT_AUTHOR_EMAIL", "CI_COMMIT_MESSAGE",
                        "DRONE_COMMIT_AUTHOR_NAME", "DRONE_COMMIT_AUTHOR_EMAIL", "DRONE_COMMIT_MESSAGE")
                .containsEntry("CI", "true").containsEntry("CI_REPO", "ci/" + repo.name())
                .containsEntry("CI_PIPELINE_ID", String.valueOf(work.getLong("pipeline_id")))
                .containsEntry("CI_COMMIT", work.getString("commit_node"))
                .containsEntry("CI_COMMIT_AUTHOR", "Test").containsEntry("CI_COMMIT_AUTHOR_EMAIL", "test@example.com")
                .containsEntry("DRONE_COMMIT_AUTHOR_NAME", "Test");
        assertThat(work.getString("ci_env.CI_COMMIT_MESSAGE")).isEqualTo(work.getString("ci_env.DRONE_COMMIT_MESSAGE")).isNotBlank();
        assertThat(work.getList("steps.name")).containsExactly("build", "test");
        assertThat(work.getMap("steps[0]")).containsKeys("id", "number", "name", "image", "commands", "environment", "status");
        assertThat(work.getList("steps[0].commands")).containsExactly("echo build");

        long id = work.getLong("pipeline_id");
        List<String> types = fixtures.pool().preparedQuery("SELECT payload::json->>'type' AS type FROM outbox_event "
                        + "WHERE (payload::json->'data'->>'id')::bigint = $1 ORDER BY seq")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<String> list = new ArrayList<>();
                    rows.forEach(r -> list.add(r.getString("type")));
                    return list;
                }).await().atMost(Duration.ofSeconds(5));
        assertThat(types).containsExactly("pipeline.created", "pipeline.status_changed");
        String last = fixtures.pool().preparedQuery("SELECT payload FROM outbox_event WHERE (payload::json->'data'->>'id')::bigint = $1 "
                        + "ORDER BY seq DESC LIMIT 1").execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getString("payload");
        assertThat(last).contains("\"status\":\"running\"").contains("\"steps\":[").contains("\"repo\":{\"id\":" + repo.id());
    }

    @Test
    void expiredLeaseReturnsWorkToTheQueue() {
        String suite = suite();
        Repo repo = repoWithPipelines("lease-" + suite, suite, 1);
        AgentCreds dead = Fixtures.registerAgent("lease-dead-" + suite, Map.of("suite", suite));
        AgentCreds alive = Fixtures.registerAgent("lease-alive-" + suite, Map.of("suite", suite));
        JsonPath work = poll(dead).then().statusCode(200).extract().jsonPath();
        long pipelineId = work.getLong("pipeline_id");
        long stepId = work.getLong("steps[0].id");
        fixtures.asAgent(dead.token()).contentType(ContentType.JSON).body(Map.of("status", "running"))
                .put("/api/v1/ci/steps/" + stepId + "/status").then().statusCode(204);
        fixtures.asAgent(dead.token()).contentType(ContentType.TEXT).body("half a log\n")
                .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(204);

        // The agent stops heartbeating: its lease runs out.
        fixtures.pool().preparedQuery("UPDATE pipeline SET lease_expires_at = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of(pipelineId)).await().atMost(Duration.ofSeconds(5));
        String base = "/api/v1/repos/ci/" + repo.name() + "/pipelines/1";
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"pending".equals(asUser().get(base).path("status")) && System.currentTimeMillis() < deadline) {
            sleep(200);
        }
        asUser().get(base).then().body("status", equalTo("pending")).body("started_at", equalTo(null))
                .body("steps.status", equalTo(List.of("pending", "pending")));
        asUser().get(base + "/steps/1/log").then().statusCode(200).body(equalTo(""));

        fixtures.asAgent(dead.token()).contentType(ContentType.JSON).body(Map.of("status", "success", "exit_code", 0))
                .put("/api/v1/ci/steps/" + stepId + "/status").then().statusCode(403).body("error.code", equalTo("forbidden"));
        poll(alive).then().statusCode(200).body("pipeline_id", equalTo((int) pipelineId));
    }

    /** The bug the whole-stack agent-kill test found: a restarted agent's heartbeat kept its lost pipeline running forever. */
    @Test
    void aHeartbeatRenewsOnlyThePipelinesTheAgentSaysItRuns() {
        String suite = suite();
        repoWithPipelines("renew-" + suite, suite, 2);
        AgentCreds agent = Fixtures.registerAgent("renew-" + suite, Map.of("suite", suite));
        long lost = poll(agent).then().statusCode(200).extract().jsonPath().getLong("pipeline_id");
        long kept = poll(agent).then().statusCode(200).extract().jsonPath().getLong("pipeline_id");
        fixtures.pool().preparedQuery("UPDATE pipeline SET lease_expires_at = now() + interval '2 seconds' WHERE id = ANY($1)")
                .execute(Tuple.of(new Long[] {lost, kept})).await().atMost(Duration.ofSeconds(5));
        fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("running", List.of(kept)))
                .post("/api/v1/ci/heartbeat").then().statusCode(200);
        var leases = fixtures.pool().preparedQuery("SELECT id, lease_expires_at > now() + interval '10 seconds' AS renewed "
                + "FROM pipeline WHERE id = ANY($1)").execute(Tuple.of(new Long[] {lost, kept})).await().atMost(Duration.ofSeconds(5));
        Map<Long, Boolean> renewed = new java.util.HashMap<>();
        leases.forEach(row -> renewed.put(row.getLong("id"), row.getBoolean("renewed")));
        assertThat(renewed).containsEntry(kept, true).containsEntry(lost, false);
    }

    @Test
    void cancelReachesTheAgentOnItsNextHeartbeat() {
        String suite = suite();
        Repo repo = repoWithPipelines("cancel-" + suite, suite, 1);
        AgentCreds agent = Fixtures.registerAgent("cancel-" + suite, Map.of("suite", suite));
        JsonPath work = poll(agent).then().statusCode(200).extract().jsonPath();
        long pipelineId = work.getLong("pipeline_id");
        long stepId = work.getLong("steps[0].id");
        fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", "running"))
                .put("/api/v1/ci/steps/" + stepId + "/status").then().statusCode(204);
        fixtures.asAgent(agent.token()).post("/api/v1/ci/heartbeat").then().statusCode(200).body("cancel", hasSize(0));

        asUser().post("/api/v1/repos/ci/" + repo.name() + "/pipelines/1/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("steps.status", equalTo(List.of("cancelled", "cancelled")));
        fixtures.asAgent(agent.token()).post("/api/v1/ci/heartbeat").then().statusCode(200)
                .body("cancel", equalTo(List.of((int) pipelineId)));
        fixtures.asAgent(agent.token()).post("/api/v1/ci/heartbeat").then().statusCode(200).body("cancel", hasSize(0));
        fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", "success"))
                .put("/api/v1/ci/pipelines/" + pipelineId + "/status").then().statusCode(409)
                .body("error.message", containsString("cancelled"));
        asUser().get("/api/v1/repos/ci/" + repo.name() + "/pipelines/1").then().body("status", equalTo("cancelled"));
    }

    @Test
    void statusUpdatesFromTheHolderOnly() {
        String suite = suite();
        Repo repo = repoWithPipelines("holder-" + suite, suite, 1);
        AgentCreds holder = Fixtures.registerAgent("holder-" + suite, Map.of("suite", suite));
        AgentCreds stranger = Fixtures.registerAgent("stranger-" + suite, Map.of("suite", suite));
        JsonPath work = poll(holder).then().statusCode(200).extract().jsonPath();
        long pipelineId = work.getLong("pipeline_id");
        long build = work.getLong("steps[0].id");
        long test = work.getLong("steps[1].id");

        fixtures.asAgent(stranger.token()).contentType(ContentType.JSON).body(Map.of("status", "success"))
                .put("/api/v1/ci/steps/" + build + "/status").then().statusCode(403);
        fixtures.asAgent(stranger.token()).contentType(ContentType.TEXT).body("x")
                .post("/api/v1/ci/steps/" + build + "/log").then().statusCode(403);
        fixtures.asAgent(holder.token()).contentType(ContentType.JSON).body(Map.of("status", "done"))
                .put("/api/v1/ci/steps/" + build + "/status").then().statusCode(400)
                .body("error.message", containsString("pending, running, success, failure, skipped, cancelled"));
        fixtures.asAgent(holder.token()).contentType(ContentType.JSON).body(Map.of("status", "success"))
                .put("/api/v1/ci/steps/999999999/status").then().statusCode(404);
        fixtures.asAgent(holder.token()).contentType(ContentType.JSON).body(Map.of("status", "success"))
                .put("/api/v1/ci/steps/abc/status").then().statusCode(404);
        fixtures.asAgent(holder.token()).contentType(ContentType.JSON).body("{\"status\": ")
                .put("/api/v1/ci/steps/" + build + "/status").then().statusCode(400);

        fixtures.asAgent(holder.token()).contentType(ContentType.JSON)
                .body(Map.of("status", "success", "exit_code", 0, "started_at", "2025-01-20T14:30:05Z",
                        "finished_at", "2025-01-20T14:32:10Z"))
                .put("/api/v1/ci/steps/" + build + "/status").then().statusCode(204);
        fixtures.asAgent(holder.token()).contentType(ContentType.JSON).body(Map.of("status", "failure", "exit_code", 2))
                .put("/api/v1/ci/steps/" + test + "/status").then().statusCode(204);
        fixtures.asAgent(holder.token()).contentType(ContentType.JSON)
                .body(Map.of("status", "failure", "finished_at", "2025-01-20T14:33:00Z"))
                .put("/api/v1/ci/pipelines/" + pipelineId + "/status").then().statusCode(204);
        asUser().get("/api/v1/repos/ci/" + repo.name() + "/pipelines/1").then()
                .body("status", equalTo("failure"))
                .body("finished_at", equalTo("2025-01-20T14:33:00Z"))
                .body("steps[0].status", equalTo("success"))
                .body("steps[0].exit_code", equalTo(0))
                .body("steps[0].started_at", equalTo("2025-01-20T14:30:05Z"))
                .body("steps[0].finished_at", equalTo("2025-01-20T14:32:10Z"))
                .body("steps[1].status", equalTo("failure"))
                .body("steps[1].exit_code", equalTo(2));
        asUser().queryParam("status", "failure").get("/api/v1/repos/ci/" + repo.name() + "/pipelines").then()
                .body("total", equalTo(1));
    }

    @Test
    void logAppendsOverOneMegabyteAreRefusedAndSecretsMasked() {
        String suite = suite();
        Repo repo = fixtures.repo("ci", "secrets-" + suite);
        String base = "/api/v1/repos/ci/" + repo.name();
        asUser().contentType(ContentType.JSON)
                .body(Map.of("name", "deploy_token", "value", "hunter2-s3cret", "events", List.of("manual")))
                .post(base + "/secrets").then().statusCode(201).body("data.name", equalTo("deploy_token"))
                .body("data.events", equalTo(List.of("manual")));
        asUser().contentType(ContentType.JSON)
                .body(Map.of("name", "push_only", "value", "only-for-pushes", "events", List.of("push")))
                .post(base + "/secrets").then().statusCode(201);
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, """
                  deploy:
                    commands: [./deploy]
                    secrets: [deploy_token]
                    environment:
                      PLAIN: visible
                      PUSHED:
                        from_secret: push_only
                """)));
        Fixtures.trigger(repo, "main");
        AgentCreds agent = Fixtures.registerAgent("secrets-" + suite, Map.of("suite", suite));
        JsonPath work = poll(agent).then().statusCode(200).extract().jsonPath();
        assertThat(work.getMap("steps[0].environment")).containsOnly(Map.entry("PLAIN", "visible"),
                Map.entry("DEPLOY_TOKEN", "hunter2-s3cret"));
        long stepId = work.getLong("steps[0].id");

        fixtures.asAgent(agent.token()).contentType(ContentType.TEXT).body("token is hunter2-s3cret, ok\n")
                .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(204);
        asUser().get(base + "/pipelines/1/steps/1/log").then().statusCode(200)
                .contentType(containsString("text/plain")).body(equalTo("token is ********, ok\n"));
        long stored = fixtures.pool().preparedQuery("SELECT count(*) FROM log_chunk WHERE position($1::bytea in bytes) > 0")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer("hunter2"))).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
        assertThat(stored).isZero();

        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        fixtures.asAgent(agent.token()).contentType(ContentType.TEXT).body(big)
                .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(413)
                .body("error.code", equalTo("payload_too_large"));
        byte[] exact = new byte[1024 * 1024];
        java.util.Arrays.fill(exact, (byte) 'b');
        fixtures.asAgent(agent.token()).contentType(ContentType.TEXT).body(exact)
                .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(204);
        // A final "b" could start a secret's base64 form ("b25s…"): it is stored once the step has finished.
        fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", "success", "exit_code", 0))
                .put("/api/v1/ci/steps/" + stepId + "/status").then().statusCode(204);
        String whole = asUser().get(base + "/pipelines/1/steps/1/log").then().statusCode(200).extract().asString();
        assertThat(whole.length()).isEqualTo("token is ********, ok\n".length() + 1024 * 1024);
        assertThat(whole).startsWith("token is ********");

        String listed = asUser().get(base + "/secrets").then().statusCode(200)
                .body("data.name", equalTo(List.of("deploy_token", "push_only"))).extract().asString();
        assertThat(listed).doesNotContain("hunter2").doesNotContain("only-for-pushes").doesNotContain("value");
    }

    @Test
    void aSecretSplitAcrossChunksItsBase64AndTheAgentTokenNeverReachTheStoredLog() {
        String suite = suite();
        Repo repo = fixtures.repo("ci", "split-" + suite);
        String base = "/api/v1/repos/ci/" + repo.name();
        String secret = "correct-horse-battery";
        asUser().contentType(ContentType.JSON)
                .body(Map.of("name", "deploy_token", "value", secret, "events", List.of("manual")))
                .post(base + "/secrets").then().statusCode(201);
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, """
                  deploy:
                    commands: [./deploy]
                    secrets: [deploy_token]
                """)));
        Fixtures.trigger(repo, "main");
        AgentCreds agent = Fixtures.registerAgent("split-" + suite, Map.of("suite", suite));
        long stepId = poll(agent).then().statusCode(200).extract().jsonPath().getLong("steps[0].id");
        String base64 = java.util.Base64.getEncoder().encodeToString(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // "é" is split between its two UTF-8 bytes too: the carry must keep it whole.
        byte[] accent = "é".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<byte[]> chunks = List.of("token is correct-ho".getBytes(), "rse-battery; ".getBytes(),
                ("encoded " + base64.substring(0, 7)).getBytes(), (base64.substring(7) + "; agent " + agent.token().substring(0, 9)).getBytes(),
                (agent.token().substring(9) + " caf").getBytes(), new byte[] {accent[0]}, new byte[] {accent[1], 'x', ' ', 'c', 'o', 'r'});
        for (byte[] chunk : chunks) {
            fixtures.asAgent(agent.token()).contentType(ContentType.TEXT).body(chunk)
                    .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(204);
        }
        // "cor" could still become the secret, so it waits until the step has finished.
        assertThat(asUser().get(base + "/pipelines/1/steps/1/log").then().statusCode(200).extract().asString())
                .isEqualTo("token is ********; encoded ********; agent ******** caféx ");
        fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", "success", "exit_code", 0))
                .put("/api/v1/ci/steps/" + stepId + "/status").then().statusCode(204);
        assertThat(asUser().get(base + "/pipelines/1/steps/1/log").then().statusCode(200).extract().asString())
                .isEqualTo("token is ********; encoded ********; agent ******** caféx cor");
        for (String clear : List.of("correct-ho", "rse-battery", base64.substring(0, 7), base64.substring(7, 20), agent.token().substring(0, 9))) {
            long stored = fixtures.pool().preparedQuery("SELECT count(*) FROM log_chunk WHERE step_id = $1 AND position($2::bytea in bytes) > 0")
                    .execute(Tuple.of(stepId, io.vertx.core.buffer.Buffer.buffer(clear))).await().atMost(Duration.ofSeconds(5))
                    .iterator().next().getLong(0);
            assertThat(stored).as("chunks holding '%s'", clear).isZero();
        }
    }

    @Test
    void aStepReportRacingACancelWaitsForItInsteadOfDeadlocking() throws Exception {
        String suite = suite();
        Repo repo = fixtures.repo("ci", "race-" + suite);
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, """
                  build:
                    commands: [make]
                """)));
        Fixtures.trigger(repo, "main");
        AgentCreds agent = Fixtures.registerAgent("race-" + suite, Map.of("suite", suite));
        JsonPath work = poll(agent).then().statusCode(200).extract().jsonPath();
        long pipelineId = work.getLong("pipeline_id");
        long stepId = work.getLong("steps[0].id");

        // A cancel in progress: it holds the pipeline and is about to update its steps.
        io.vertx.mutiny.sqlclient.SqlConnection cancel = fixtures.pool().getConnection().await().atMost(Duration.ofSeconds(5));
        try {
            io.vertx.mutiny.sqlclient.Transaction tx = cancel.begin().await().atMost(Duration.ofSeconds(5));
            cancel.preparedQuery("SELECT id FROM pipeline WHERE id = $1 FOR UPDATE").execute(Tuple.of(pipelineId))
                    .await().atMost(Duration.ofSeconds(5));
            java.util.concurrent.CompletableFuture<Integer> report = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", "running"))
                            .put("/api/v1/ci/steps/" + stepId + "/status").then().extract().statusCode());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (fixtures.pool().query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").execute()
                    .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0) == 0) {
                assertThat(System.nanoTime()).as("the step report waits for the cancel's lock").isLessThan(deadline);
                sleep(20);
            }
            cancel.preparedQuery("UPDATE pipeline SET status = 'cancelled', finished_at = now() WHERE id = $1")
                    .execute(Tuple.of(pipelineId)).await().atMost(Duration.ofSeconds(5));
            cancel.preparedQuery("UPDATE step SET status = 'cancelled' WHERE pipeline_id = $1")
                    .execute(Tuple.of(pipelineId)).await().atMost(Duration.ofSeconds(10));
            tx.commit().await().atMost(Duration.ofSeconds(5));
            assertThat(report.get(20, java.util.concurrent.TimeUnit.SECONDS)).as("the agent's step report").isEqualTo(409);
        } finally {
            cancel.close().await().atMost(Duration.ofSeconds(5));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
