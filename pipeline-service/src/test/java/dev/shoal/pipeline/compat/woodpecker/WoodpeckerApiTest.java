package dev.shoal.pipeline.compat.woodpecker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.Fixtures.AgentCreds;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.InternalTokens;
import dev.shoal.platform.identity.Scope;
import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Walks the Woodpecker routes as a Woodpecker client sends them (the gateway's internal JWT stands
 * in for the gateway, with the repo id or org id it resolves), checking answers against the field
 * lists of the Woodpecker API document (seed 002), and the approval gate against a polling agent.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class WoodpeckerApiTest {

    // Field lists of the seed's response samples.
    static final Set<String> REPO = Set.of("active", "allow_deploy", "allow_pr", "avatar_url", "cancel_previous_pipeline_events",
            "clone_url", "clone_url_ssh", "config_file", "default_branch", "forge_id", "forge_remote_id", "forge_url",
            "full_name", "id", "name", "netrc_trusted", "org_id", "owner", "pr_enabled", "private", "require_approval",
            "timeout", "trusted", "visibility");
    static final Set<String> PIPELINE = Set.of("author", "author_avatar", "author_email", "branch", "changed_files", "commit",
            "created", "deploy_task", "deploy_to", "errors", "event", "finished", "forge_url", "from_fork", "id",
            "is_prerelease", "message", "number", "parent", "pr_labels", "ref", "refspec", "reviewed", "reviewed_by", "sender",
            "started", "status", "timestamp", "title", "updated", "variables", "workflows");
    static final Set<String> AGENT = Set.of("backend", "capacity", "created", "custom_labels", "id", "last_contact", "last_work",
            "name", "no_schedule", "org_id", "owner_id", "platform", "token", "updated", "version");
    static final Set<String> SECRET = Set.of("events", "id", "images", "name", "org_id", "repo_id", "value");
    static final Set<String> REGISTRY = Set.of("address", "id", "org_id", "password", "readonly", "repo_id", "username");
    static final Set<String> CRON = Set.of("branch", "created", "creator_id", "id", "name", "next_exec", "repo_id", "schedule");
    static final Set<String> FORGE = Set.of("additional_options", "client", "id", "oauth_host", "skip_verify", "type", "url");

    @Inject
    Fixtures fixtures;

    @Inject
    InternalTokens tokens;

    private static String suite() {
        return "wp" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    /** A repository owner's token for a route on this repository (the gateway puts repo_id in it). */
    static RequestSpecification owner(Repo repo) {
        return given().auth().oauth2(InternalKeys.shared().userToken(5, "chris", List.of("read", "write", "admin"), 77L,
                repo == null ? null : repo.id(), "owner"));
    }

    RequestSpecification siteAdmin() {
        return given().auth().oauth2(Fixtures.GATEWAY.forCaller(new Caller("user", 1L, "root", true,
                Set.of(Scope.READ, Scope.WRITE, Scope.ADMIN), null, null, Caller.OWNER), "pipeline"));
    }

    RequestSpecification orgOwner(long orgId) {
        return given().auth().oauth2(InternalKeys.shared().userToken(5, "chris", List.of("read", "write", "admin"), orgId,
                null, "owner"));
    }

    private Response poll(AgentCreds agent) {
        return fixtures.asAgent(agent.token()).post("/api/v1/ci/poll");
    }

    private void finish(AgentCreds agent, long pipelineId, String status) {
        fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", status))
                .put("/api/v1/ci/pipelines/" + pipelineId + "/status").then().statusCode(204);
    }

    @Test
    void pipelinesApprovalLogsBadges() throws Exception {
        long started = java.time.Instant.now().getEpochSecond() - 5;
        String suite = suite();
        Repo repo = fixtures.repo("wood", "app-" + suite);
        String file = Fixtures.shoalYml(suite, """
                  build:
                    image: alpine:3.20
                    commands: [echo hi]
                """);
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", file));
        String base = "/api/repos/" + repo.id();

        JsonPath repoView = owner(repo).get(base).then().statusCode(200)
                .body("id", equalTo((int) repo.id())).body("full_name", equalTo(repo.fullName()))
                .body("forge_remote_id", equalTo(String.valueOf(repo.id()))).body("active", equalTo(true))
                .body("require_approval", equalTo("forks")).body("trusted.network", equalTo(false))
                .extract().jsonPath();
        assertThat(repoView.getMap("").keySet()).isEqualTo(REPO);
        owner(repo).get("/api/repos/lookup/wood/" + repo.name()).then().statusCode(200).body("id", equalTo((int) repo.id()));
        owner(repo).get(base + "/permissions").then().statusCode(200).body("pull", equalTo(true))
                .body("push", equalTo(true)).body("admin", equalTo(true));
        owner(repo).get(base + "/branches").then().statusCode(200).body("", equalTo(List.of("main")));
        owner(repo).get(base + "/pull_requests").then().statusCode(200).body("", hasSize(0));
        // The path id must be the one the gateway resolved.
        owner(repo).get("/api/repos/" + (repo.id() + 1)).then().statusCode(404);
        owner(repo).get("/api/repos/abc").then().statusCode(404);

        // A manual pipeline with variables; they reach the steps' environment.
        JsonPath created = owner(repo).contentType(ContentType.JSON)
                .body(Map.of("branch", "main", "variables", Map.of("GREETING", "hello")))
                .post(base + "/pipelines").then().statusCode(200)
                .body("number", equalTo(1)).body("status", equalTo("pending")).body("event", equalTo("manual"))
                .body("variables.GREETING", equalTo("hello")).body("sender", equalTo("chris"))
                .body("workflows[0].children[0].name", equalTo("build"))
                .body("workflows[0].children[0].state", equalTo("pending"))
                .extract().jsonPath();
        assertThat(created.getMap("").keySet()).isEqualTo(PIPELINE);
        owner(repo).contentType(ContentType.JSON).body(Map.of("variables", Map.of("1bad", "x")))
                .post(base + "/pipelines").then().statusCode(400).body("error.message", containsString("variable names"));
        owner(repo).contentType(ContentType.JSON).body("{\"branch\": [1]}").post(base + "/pipelines").then().statusCode(400);
        owner(repo).contentType(ContentType.JSON).body("{\"branch\": ").post(base + "/pipelines").then().statusCode(400);

        AgentCreds agent = Fixtures.registerAgent("wp-" + suite, Map.of("suite", suite));
        JsonPath work = poll(agent).then().statusCode(200).extract().jsonPath();
        assertThat(work.getInt("number")).isEqualTo(1);
        assertThat(work.getMap("steps[0].environment")).containsEntry("GREETING", "hello");
        long stepId = work.getLong("steps[0].id");
        fixtures.asAgent(agent.token()).contentType(ContentType.TEXT).body("first line\nsecond ")
                .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(204);
        fixtures.asAgent(agent.token()).contentType(ContentType.TEXT).body("line\n")
                .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(204);

        // Logs as Woodpecker entries: one per line, data base64.
        JsonPath logs = owner(repo).get(base + "/logs/1/" + stepId).then().statusCode(200).body("", hasSize(2)).extract().jsonPath();
        assertThat(logs.getMap("[0]").keySet()).containsExactlyInAnyOrder("id", "step_id", "time", "line", "data", "type");
        assertThat(new String(Base64.getDecoder().decode(logs.getString("[1].data")), StandardCharsets.UTF_8)).isEqualTo("second line");
        assertThat(logs.getInt("[1].line")).isEqualTo(1);
        owner(repo).get(base + "/logs/1/" + stepId + "/download").then().statusCode(200)
                .body(equalTo("first line\nsecond line\n"));
        owner(repo).delete(base + "/logs/1/" + stepId).then().statusCode(204);
        owner(repo).get(base + "/logs/1/999999").then().statusCode(404);
        owner(repo).delete(base + "/pipelines/1").then().statusCode(409).body("error.message", containsString("cancel it"));
        finish(agent, work.getLong("pipeline_id"), "success");
        owner(repo).get(base + "/logs/1/" + stepId).then().statusCode(200).body("", hasSize(0));

        // Badge and CCTray name the latest pipeline of the default branch.
        owner(repo).get("/api/badges/wood/" + repo.name() + "/status.svg").then().statusCode(200)
                .contentType(containsString("image/svg+xml")).body(containsString("success"));
        owner(repo).get("/api/badges/" + repo.id() + "/status.svg?branch=nope").then().statusCode(200).body(containsString("none"));
        String cc = owner(repo).get("/api/badges/wood/" + repo.name() + "/cc.xml").then().statusCode(200).extract().asString();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(cc.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("Projects");
        NodeList projects = doc.getDocumentElement().getElementsByTagName("Project");
        assertThat(projects.getLength()).isEqualTo(1);
        Element project = (Element) projects.item(0);
        assertThat(project.getAttribute("name")).isEqualTo(repo.fullName());
        assertThat(project.getAttribute("activity")).isEqualTo("Sleeping");
        assertThat(project.getAttribute("lastBuildStatus")).isEqualTo("Success");
        assertThat(project.getAttribute("lastBuildLabel")).isEqualTo("1");
        assertThat(project.getAttribute("lastBuildTime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(project.getAttribute("webUrl")).endsWith("/pipelines/1");

        // Approval: every event but manual needs it; a restart as 'push' waits in 'blocked'.
        owner(repo).contentType(ContentType.JSON).body(Map.of("require_approval", "all_events")).patch(base).then()
                .statusCode(200).body("require_approval", equalTo("all_events"));
        owner(repo).contentType(ContentType.JSON).body(Map.of("require_approval", "sometimes")).patch(base).then()
                .statusCode(400).body("error.message", containsString("require_approval"));
        owner(repo).contentType(ContentType.JSON).body(Map.of("gated", true)).patch(base).then().statusCode(400);
        owner(repo).post(base + "/pipelines/1?event=push&EXTRA=1").then().statusCode(200)
                .body("number", equalTo(2)).body("status", equalTo("blocked")).body("event", equalTo("push"))
                .body("parent", equalTo(1)).body("variables.EXTRA", equalTo("1")).body("variables.GREETING", equalTo("hello"));
        owner(repo).post(base + "/pipelines/1?event=nonsense").then().statusCode(400);
        poll(agent).then().statusCode(204);
        owner(repo).get(base + "/pipelines?status=blocked").then().statusCode(200).body("number", equalTo(List.of(2)));
        owner(repo).post(base + "/pipelines/2/approve").then().statusCode(200).body("status", equalTo("pending"))
                .body("reviewed_by", equalTo("chris"));
        owner(repo).post(base + "/pipelines/2/approve").then().statusCode(409);
        JsonPath second = poll(agent).then().statusCode(200).extract().jsonPath();
        assertThat(second.getInt("number")).isEqualTo(2);
        assertThat(second.getMap("steps[0].environment")).containsEntry("EXTRA", "1");
        finish(agent, second.getLong("pipeline_id"), "failure");

        owner(repo).post(base + "/pipelines/1?event=push").then().statusCode(200).body("status", equalTo("blocked"));
        owner(repo).post(base + "/pipelines/3/decline").then().statusCode(200).body("status", equalTo("declined"))
                .body("workflows[0].children[0].state", equalTo("skipped"));
        poll(agent).then().statusCode(204);
        owner(repo).post(base + "/pipelines/3/approve").then().statusCode(409).body("error.message", containsString("declined"));
        owner(repo).post(base + "/pipelines/3/decline").then().statusCode(409);

        // Lists and their filters.
        owner(repo).get(base + "/pipelines").then().statusCode(200).body("number", equalTo(List.of(3, 2, 1)))
                .body("status", equalTo(List.of("declined", "failure", "success")));
        owner(repo).get(base + "/pipelines?event=manual").then().statusCode(200).body("number", equalTo(List.of(1)));
        owner(repo).get(base + "/pipelines?branch=main&perPage=1&page=2").then().statusCode(200).body("number", equalTo(List.of(2)));
        owner(repo).get(base + "/pipelines?ref=refs/heads/main&status=success").then().statusCode(200).body("number", equalTo(List.of(1)));
        owner(repo).get(base + "/pipelines?after=2000-01-01T00:00:00Z&before=2999-01-01T00:00:00Z").then().statusCode(200)
                .body("", hasSize(3));
        owner(repo).get(base + "/pipelines?before=2000-01-01T00:00:00Z").then().statusCode(200).body("", hasSize(0));
        owner(repo).get(base + "/pipelines?before=yesterday").then().statusCode(400).body("error.message", containsString("RFC 3339"));
        owner(repo).get(base + "/pipelines?status=bogus").then().statusCode(400);
        owner(repo).get(base + "/pipelines?perPage=500").then().statusCode(400);
        owner(repo).get(base + "/pipelines/latest").then().statusCode(200).body("number", equalTo(3));
        owner(repo).get(base + "/pipelines/2").then().statusCode(200).body("status", equalTo("failure"));
        owner(repo).get(base + "/pipelines/99").then().statusCode(404);
        owner(repo).get(base + "/pipelines/x..y").then().statusCode(404);

        // Config and metadata.
        JsonPath config = owner(repo).get(base + "/pipelines/1/config").then().statusCode(200).body("", hasSize(1)).extract().jsonPath();
        assertThat(config.getString("[0].name")).isEqualTo(".shoal.yml");
        assertThat(new String(Base64.getDecoder().decode(config.getString("[0].data")), StandardCharsets.UTF_8)).isEqualTo(file);
        JsonPath meta = owner(repo).get(base + "/pipelines/2/metadata").then().statusCode(200).extract().jsonPath();
        assertThat(meta.getMap("").keySet()).containsExactlyInAnyOrder("id", "repo", "curr", "prev", "workflow", "step", "sys", "forge");
        assertThat(meta.getInt("curr.number")).isEqualTo(2);
        assertThat(meta.getInt("prev.number")).isEqualTo(1);

        // Delete a finished pipeline and its logs.
        owner(repo).delete(base + "/logs/2").then().statusCode(204);
        owner(repo).delete(base + "/pipelines/2").then().statusCode(204);
        owner(repo).get(base + "/pipelines/2").then().statusCode(404);

        // Pause: pipelines queue up but no agent gets them until resume.
        siteAdmin().post("/api/queue/pause").then().statusCode(204);
        try {
            owner(repo).contentType(ContentType.JSON).body("{}").post(base + "/pipelines").then().statusCode(200)
                    .body("number", equalTo(4)).body("status", equalTo("pending"));
            poll(agent).then().statusCode(204);
            JsonPath info = siteAdmin().get("/api/queue/info").then().statusCode(200).body("paused", equalTo(true)).extract().jsonPath();
            assertThat(info.getMap("").keySet()).contains("pending", "waiting_on_deps", "running", "stats", "paused");
            List<Map<String, Object>> pending = info.getList("pending");
            assertThat(pending).anySatisfy(t -> assertThat(t.get("labels")).isEqualTo(Map.of("suite", suite)));
            List<Map<String, Object>> counts = info.getList("label_counts");
            assertThat(counts).anySatisfy(c -> {
                assertThat(c.get("labels")).isEqualTo(Map.of("suite", suite));
                assertThat(((Number) c.get("pending")).intValue()).isEqualTo(1);
            });
        } finally {
            siteAdmin().post("/api/queue/resume").then().statusCode(204);
        }
        siteAdmin().get("/api/queue/info").then().statusCode(200).body("paused", equalTo(false));
        JsonPath fourth = poll(agent).then().statusCode(200).extract().jsonPath();
        assertThat(fourth.getInt("number")).isEqualTo(4);
        JsonPath tasks = siteAdmin().get("/api/agents/" + agent.id() + "/tasks").then().statusCode(200).extract().jsonPath();
        assertThat(tasks.getList("id", String.class)).contains(String.valueOf(fourth.getLong("pipeline_id")));
        // A running pipeline whose agent record is gone (stale) must not break queue info.
        fixtures.pool().preparedQuery("UPDATE pipeline SET agent_id = 987654321 WHERE id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(fourth.getLong("pipeline_id"))).await().atMost(java.time.Duration.ofSeconds(5));
        List<Map<String, Object>> agentCounts = siteAdmin().get("/api/queue/info").then().statusCode(200).extract().jsonPath()
                .getList("agent_counts");
        assertThat(agentCounts).anySatisfy(c -> {
            assertThat(((Number) c.get("agent_id")).longValue()).isEqualTo(987654321L);
            assertThat(c.get("name")).isNull();
        });
        owner(repo).post(base + "/pipelines/4/cancel").then().statusCode(200).body("status", equalTo("killed"));
        owner(repo).post(base + "/pipelines/4/cancel").then().statusCode(409);
        siteAdmin().get("/api/queue/norunningpipelines?wait=abc").then().statusCode(400);

        // The site admin's view of every pipeline.
        siteAdmin().get("/api/pipelines?perPage=100&status=killed&after=" + started).then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItem(fourth.getInt("pipeline_id")));
        JsonPath all = siteAdmin().get("/api/repos?perPage=5").then().statusCode(200).extract().jsonPath();
        assertThat(all.getList("")).isNotEmpty();
        assertThat(all.getMap("[0]").keySet()).isEqualTo(REPO);
    }

    @Test
    void organizationAgentsTakeOnlyTheirOrganizationsWork() {
        String suite = suite();
        Repo repo = fixtures.repo("wood", "orgwork-" + suite);
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, "  a:\n    commands: [true]\n")));
        owner(repo).contentType(ContentType.JSON).body("{}").post("/api/repos/" + repo.id() + "/pipelines").then().statusCode(200);

        JsonPath other = orgOwner(99).contentType(ContentType.JSON)
                .body(Map.of("name", "other-" + suite, "custom_labels", Map.of("suite", suite)))
                .post("/api/orgs/99/agents").then().statusCode(200).body("org_id", equalTo(99)).extract().jsonPath();
        assertThat(other.getMap("").keySet()).isEqualTo(AGENT);
        assertThat(other.getString("token")).startsWith("shoal_agent_");
        AgentCreds foreign = new AgentCreds(other.getLong("id"), other.getString("token"));
        poll(foreign).then().statusCode(204);
        orgOwner(99).get("/api/orgs/99/agents").then().statusCode(200).body("name", equalTo(List.of("other-" + suite)))
                .body("[0].token", equalTo(""));
        // Another organization's owner cannot see or touch it; the path's org must be the gateway's.
        orgOwner(77).get("/api/orgs/99/agents").then().statusCode(404);
        orgOwner(77).delete("/api/orgs/77/agents/" + foreign.id()).then().statusCode(404);

        JsonPath mine = orgOwner(77).contentType(ContentType.JSON)
                .body(Map.of("name", "mine-" + suite, "custom_labels", Map.of("suite", suite), "no_schedule", true))
                .post("/api/orgs/77/agents").then().statusCode(200).body("no_schedule", equalTo(true)).extract().jsonPath();
        AgentCreds own = new AgentCreds(mine.getLong("id"), mine.getString("token"));
        poll(own).then().statusCode(204);
        orgOwner(77).contentType(ContentType.JSON).body(Map.of("no_schedule", false))
                .patch("/api/orgs/77/agents/" + own.id()).then().statusCode(200).body("no_schedule", equalTo(false));
        poll(own).then().statusCode(200).body("repo", equalTo(repo.name()));
        orgOwner(99).delete("/api/orgs/99/agents/" + foreign.id()).then().statusCode(204);

        // Server agents: created by site admins; the token is shown once.
        JsonPath global = siteAdmin().contentType(ContentType.JSON).body(Map.of("name", "global-" + suite))
                .post("/api/agents").then().statusCode(200).body("org_id", equalTo(-1)).extract().jsonPath();
        assertThat(global.getString("token")).startsWith("shoal_agent_");
        siteAdmin().get("/api/agents/" + global.getLong("id")).then().statusCode(200).body("token", equalTo(""))
                .body("name", equalTo("global-" + suite));
        siteAdmin().contentType(ContentType.JSON).body(Map.of("name", "bad name")).patch("/api/agents/" + global.getLong("id"))
                .then().statusCode(400);
        siteAdmin().contentType(ContentType.JSON).body(Map.of("nme", "x")).post("/api/agents").then().statusCode(400);
        siteAdmin().delete("/api/agents/" + global.getLong("id")).then().statusCode(204);
        siteAdmin().get("/api/agents/" + global.getLong("id")).then().statusCode(404);
        siteAdmin().get("/api/agents/abc").then().statusCode(404);
    }

    @Test
    void secretsRegistriesAndCron() {
        String suite = suite();
        Repo repo = fixtures.repo("wood", "settings-" + suite);
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, """
                  use:
                    image: alpine:3.20
                    commands: [true]
                    secrets: [token, golang_only]
                """)));
        String base = "/api/repos/" + repo.id();

        JsonPath secret = owner(repo).contentType(ContentType.JSON)
                .body(Map.of("name", "token", "value", "s3cr3t-value", "events", List.of("cron", "manual"), "images", List.of("alpine")))
                .post(base + "/secrets").then().statusCode(200).body("value", equalTo("")).body("repo_id", equalTo((int) repo.id()))
                .body("images", equalTo(List.of("alpine"))).extract().jsonPath();
        assertThat(secret.getMap("").keySet()).isEqualTo(SECRET);
        owner(repo).contentType(ContentType.JSON).body(Map.of("name", "golang_only", "value", "not-for-alpine",
                "events", List.of("cron", "manual"), "images", List.of("golang"))).post(base + "/secrets").then().statusCode(200);
        owner(repo).contentType(ContentType.JSON).body(Map.of("name", "token", "value", "x")).post(base + "/secrets")
                .then().statusCode(409);
        owner(repo).contentType(ContentType.JSON).body(Map.of("name", "bad", "value", "x", "images", List.of("a b")))
                .post(base + "/secrets").then().statusCode(400).body("error.message", containsString("images"));
        owner(repo).get(base + "/secrets/token").then().statusCode(200).body("events", equalTo(List.of("cron", "manual")));
        owner(repo).contentType(ContentType.JSON).body(Map.of("events", List.of("push", "manual", "cron")))
                .patch(base + "/secrets/token").then().statusCode(200).body("events", equalTo(List.of("push", "manual", "cron")));
        owner(repo).get(base + "/secrets").then().statusCode(200).body("name", equalTo(List.of("golang_only", "token")));
        owner(repo).get(base + "/secrets/nope").then().statusCode(404);

        orgOwner(77).contentType(ContentType.JSON).body(Map.of("name", "org_" + suite, "value", "org-value"))
                .post("/api/orgs/77/secrets").then().statusCode(200).body("org_id", equalTo(77)).body("repo_id", equalTo(0));
        orgOwner(77).delete("/api/orgs/77/secrets/org_" + suite).then().statusCode(204);
        siteAdmin().contentType(ContentType.JSON).body(Map.of("name", "global_" + suite, "value", "global-value"))
                .post("/api/secrets").then().statusCode(200).body("org_id", equalTo(0)).body("repo_id", equalTo(0));
        siteAdmin().get("/api/secrets/global_" + suite).then().statusCode(200);
        siteAdmin().delete("/api/secrets/global_" + suite).then().statusCode(204);

        // Registries: password stored sealed, never shown.
        JsonPath registry = owner(repo).contentType(ContentType.JSON)
                .body(Map.of("address", "registry.example.com:5000", "username", "bot", "password", "pw-123"))
                .post(base + "/registries").then().statusCode(200).body("password", equalTo("")).extract().jsonPath();
        assertThat(registry.getMap("").keySet()).isEqualTo(REGISTRY);
        owner(repo).contentType(ContentType.JSON).body(Map.of("address", "registry.example.com:5000", "username", "b", "password", "p"))
                .post(base + "/registries").then().statusCode(409);
        owner(repo).contentType(ContentType.JSON).body(Map.of("address", "not a host", "username", "b", "password", "p"))
                .post(base + "/registries").then().statusCode(400).body("error.message", containsString("address"));
        owner(repo).contentType(ContentType.JSON).body(Map.of("address", "ghcr.io", "username", "b")).post(base + "/registries")
                .then().statusCode(400).body("error.message", containsString("password"));
        owner(repo).contentType(ContentType.JSON).body(Map.of("username", "robot"))
                .patch(base + "/registries/registry.example.com:5000").then().statusCode(200).body("username", equalTo("robot"));
        owner(repo).get(base + "/registries").then().statusCode(200).body("address", equalTo(List.of("registry.example.com:5000")));
        long stored = fixtures.pool().preparedQuery("SELECT count(*) FROM registry WHERE position($1::bytea in ciphertext) > 0")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(io.vertx.core.buffer.Buffer.buffer("pw-123")))
                .await().atMost(java.time.Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertThat(stored).isZero();
        owner(repo).delete(base + "/registries/registry.example.com:5000").then().statusCode(204);
        owner(repo).get(base + "/registries/registry.example.com:5000").then().statusCode(404);
        siteAdmin().contentType(ContentType.JSON).body(Map.of("address", "docker.io", "username", "u", "password", "p"))
                .post("/api/registries").then().statusCode(200).body("repo_id", equalTo(0));
        siteAdmin().delete("/api/registries/docker.io").then().statusCode(204);

        // Cron: Woodpecker's 6-field schedule (seconds first) and run-now.
        JsonPath cron = owner(repo).contentType(ContentType.JSON)
                .body(Map.of("name", "nightly", "schedule", "0 0 3 * * *", "branch", "main"))
                .post(base + "/cron").then().statusCode(200).body("schedule", equalTo("0 3 * * *"))
                .body("repo_id", equalTo((int) repo.id())).body("creator_id", equalTo(5)).extract().jsonPath();
        assertThat(cron.getMap("").keySet()).isEqualTo(CRON);
        long cronId = cron.getLong("id");
        owner(repo).contentType(ContentType.JSON).body(Map.of("name", "x", "schedule", "30 0 3 * * *")).post(base + "/cron")
                .then().statusCode(400).body("error.message", containsString("seconds"));
        owner(repo).get(base + "/cron").then().statusCode(200).body("name", equalTo(List.of("nightly")));
        owner(repo).get(base + "/cron/" + cronId).then().statusCode(200).body("branch", equalTo("main"));
        owner(repo).post(base + "/cron/" + cronId).then().statusCode(200).body("event", equalTo("cron"))
                .body("status", equalTo("pending")).body("number", equalTo(1));
        owner(repo).contentType(ContentType.JSON).body(Map.of("schedule", "@daily")).patch(base + "/cron/" + cronId)
                .then().statusCode(200).body("schedule", equalTo("@daily")).body("name", equalTo("nightly"));
        owner(repo).get(base + "/cron/abc").then().statusCode(404);

        // Image filters: the alpine step gets the secret limited to alpine, not the one limited to golang.
        AgentCreds agent = Fixtures.registerAgent("wps-" + suite, Map.of("suite", suite));
        JsonPath work = poll(agent).then().statusCode(200).extract().jsonPath();
        assertThat(work.getMap("steps[0].environment")).containsEntry("TOKEN", "s3cr3t-value").doesNotContainKey("GOLANG_ONLY");
        finish(agent, work.getLong("pipeline_id"), "success");
        owner(repo).delete(base + "/cron/" + cronId).then().statusCode(204);
        owner(repo).delete(base + "/cron/" + cronId).then().statusCode(404);
        owner(repo).delete(base + "/secrets/token").then().statusCode(204);
    }

    @Test
    void serverRoutes() {
        Fixtures.asUser().get("/healthz").then().statusCode(204);
        given().auth().oauth2(Fixtures.userToken()).get("/version").then().statusCode(200)
                .body("source", containsString("shoal")).body("version", org.hamcrest.Matchers.notNullValue());
        JsonPath forges = Fixtures.asUser().get("/api/forges").then().statusCode(200).body("", hasSize(1)).extract().jsonPath();
        assertThat(forges.getMap("[0]").keySet()).isEqualTo(FORGE);
        Fixtures.asUser().get("/api/forges/1").then().statusCode(200).body("type", equalTo("shoal"));
        Fixtures.asUser().get("/api/forges/2").then().statusCode(404);
        siteAdmin().contentType(ContentType.JSON).body("{}").post("/api/forges").then().statusCode(422)
                .body("error.message", containsString("external forges are not supported"));
        siteAdmin().delete("/api/forges/1").then().statusCode(422);

        siteAdmin().get("/api/log-level").then().statusCode(200).body("log-level", org.hamcrest.Matchers.notNullValue());
        siteAdmin().contentType(ContentType.JSON).body(Map.of("log-level", "debug")).post("/api/log-level").then().statusCode(200)
                .body("log-level", equalTo("debug"));
        siteAdmin().get("/api/log-level").then().statusCode(200).body("log-level", equalTo("debug"));
        siteAdmin().contentType(ContentType.JSON).body(Map.of("log-level", "info")).post("/api/log-level").then().statusCode(200)
                .body("log-level", equalTo("info"));
        siteAdmin().contentType(ContentType.JSON).body(Map.of("log-level", "loud")).post("/api/log-level").then().statusCode(400)
                .body("error.message", containsString("trace, debug"));
        Fixtures.asUser().get("/api/signature/public-key").then().statusCode(200).body(containsString("BEGIN PUBLIC KEY"));
    }
}
