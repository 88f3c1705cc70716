package dev.shoal.pipeline.compat.drone;

import static dev.shoal.pipeline.support.Fixtures.asUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.pipeline.support.Fixtures.AgentCreds;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.identity.InternalTokens;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class DroneApiTest {

    @Inject
    Fixtures fixtures;

    @Inject
    InternalTokens tokens;

    private static String suite() {
        return "drone-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Drone's error shape: only a message. */
    private static void droneError(ValidatableResponse response, int status, String text) {
        Map<String, Object> body = response.statusCode(status).body("message", containsString(text)).extract().jsonPath().getMap("");
        assertThat(body).containsOnlyKeys("message");
    }

    private static void near(long unixSeconds) {
        assertThat(unixSeconds).isBetween(Instant.now().getEpochSecond() - 120, Instant.now().getEpochSecond() + 5);
    }

    @Test
    void repoSettingsActivateUpdateDisable() {
        Repo repo = fixtures.repo("drone", "settings-" + suite());
        String path = "/api/repos/drone/" + repo.name();
        JsonPath got = asUser().get(path).then().statusCode(200)
                .body("id", equalTo((int) repo.id())).body("namespace", equalTo("drone")).body("name", equalTo(repo.name()))
                .body("slug", equalTo("drone/" + repo.name())).body("full_name", equalTo("drone/" + repo.name()))
                .body("owner", equalTo("drone")).body("scm", equalTo("git")).body("default_branch", equalTo("main"))
                .body("private", equalTo(false)).body("visibility", equalTo("public")).body("active", equalTo(true))
                .body("config_path", equalTo(".drone.yml")).body("timeout", equalTo(60)).body("trusted", equalTo(false))
                .body("allow_pr", equalTo(true)).body("allow_push", equalTo(true)).body("allow_tags", equalTo(true))
                .body("allow_deploys", equalTo(false)).body("counter", equalTo(0))
                .body("clone_url", containsString("/drone/" + repo.name() + ".git"))
                .extract().jsonPath();
        assertThat(got.getMap("")).containsKeys("uid", "git_http_url", "link", "link_url", "ignore_forks",
                "ignore_pull_requests", "auto_cancel_pushes", "protected", "version");

        asUser().contentType(ContentType.JSON)
                .body(Map.of("timeout", 90, "trusted", true, "allow_pr", false, "config_path", "ci/build.yml",
                        "visibility", "internal", "auto_cancel_pushes", true))
                .patch(path).then().statusCode(200)
                .body("timeout", equalTo(90)).body("trusted", equalTo(true)).body("allow_pr", equalTo(false))
                .body("ignore_pull_requests", equalTo(true)).body("config_path", equalTo("ci/build.yml"))
                .body("visibility", equalTo("internal")).body("auto_cancel_pushes", equalTo(true));
        asUser().get(path).then().body("timeout", equalTo(90)).body("config_path", equalTo("ci/build.yml"));
        asUser().contentType(ContentType.JSON).body(Map.of("config_path", ".drone.yml", "ignore_pull_requests", false))
                .patch(path).then().statusCode(200).body("config_path", equalTo(".drone.yml")).body("allow_pr", equalTo(true));

        droneError(asUser().contentType(ContentType.JSON).body(Map.of("timeout", 0)).patch(path).then(), 400, "timeout");
        droneError(asUser().contentType(ContentType.JSON).body("{\"timeout\": \"long\"}").patch(path).then(), 400, "timeout");
        droneError(asUser().contentType(ContentType.JSON).body("{\"tiemout\": 5}").patch(path).then(), 400, "tiemout");
        droneError(asUser().contentType(ContentType.JSON).body("{\"timeout\": ").patch(path).then(), 400, "malformed JSON");
        droneError(asUser().contentType(ContentType.JSON).body(Map.of("config_path", "../etc/passwd")).patch(path).then(),
                400, "config file");
        droneError(asUser().contentType(ContentType.JSON).body(Map.of("private", true)).patch(path).then(), 400, "is_private");
        droneError(asUser().contentType(ContentType.JSON).body(Map.of("protected", true)).patch(path).then(), 400, "protected");
        droneError(asUser().get("/api/repos/drone/no-such-repo").then(), 404, "not found");

        asUser().delete(path).then().statusCode(200).body("active", equalTo(false)).body("timeout", equalTo(90));
        asUser().get(path).then().body("active", equalTo(false));
        asUser().post(path).then().statusCode(200).body("active", equalTo(true)).body("timeout", equalTo(90));

        String sealed = asUser().contentType(ContentType.JSON).body(Map.of("data", "hunter2")).post(path + "/encrypt")
                .then().statusCode(200).extract().path("data");
        byte[] raw = Base64.getDecoder().decode(sealed);
        assertThat(raw.length).isEqualTo(12 + "hunter2".length() + 16);
        assertThat(new String(raw)).doesNotContain("hunter2");
        droneError(asUser().contentType(ContentType.JSON).body("{}").post(path + "/encrypt").then(), 400, "data is required");
    }

    /** Woodpecker's words after /api/repos/{id}/ are Drone repository names like any other when the owner is a name. */
    @Test
    void repositoriesNamedAfterWoodpeckersRoutesAreReachable() {
        String org = "named-" + suite();
        for (String name : List.of("move", "branches", "repair", "chown", "permissions", "pull_requests")) {
            Repo repo = fixtures.repo(org, name);
            asUser().get("/api/repos/" + org + "/" + name).then().statusCode(200)
                    .body("id", equalTo((int) repo.id())).body("slug", equalTo(org + "/" + name)).body("name", equalTo(name));
        }
        asUser().delete("/api/repos/" + org + "/move").then().statusCode(200).body("active", equalTo(false));
        asUser().post("/api/repos/" + org + "/move").then().statusCode(200).body("active", equalTo(true))
                .body("slug", equalTo(org + "/move"));

        // Woodpecker's routes by numeric id still answer
        Repo move = fixtures.repo(org, "app");
        var woodpecker = io.restassured.RestAssured.given().auth().oauth2(InternalKeys.shared().userToken(5, "chris",
                List.of("read", "write", "admin"), 77L, move.id(), "owner"));
        woodpecker.queryParam("to", move.fullName()).post("/api/repos/" + move.id() + "/move").then().statusCode(200)
                .body("id", equalTo((int) move.id())).body("full_name", equalTo(move.fullName()));
        woodpecker.get("/api/repos/" + move.id() + "/branches").then().statusCode(200);
    }

    @Test
    void buildsLogsRestartCancel() {
        String suite = suite();
        Repo repo = fixtures.repo("drone", "builds-" + suite);
        String sha = GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, """
                  build:
                    image: alpine:3.20
                    commands: [make]
                  test:
                    commands: [make test]
                """)));
        String base = "/api/repos/drone/" + repo.name();
        assertThat(Fixtures.trigger(repo, "main")).isEqualTo(1);

        JsonPath list = asUser().get(base + "/builds").then().statusCode(200).body("", hasSize(1)).extract().jsonPath();
        Map<String, Object> build = list.getMap("[0]");
        assertThat(build).containsKeys("id", "repo_id", "trigger", "number", "parent", "status", "error", "event", "action",
                "link", "timestamp", "title", "message", "before", "after", "ref", "source_repo", "source", "target",
                "author_login", "author_name", "author_email", "author_avatar", "sender", "params", "cron", "deploy_to",
                "started", "finished", "created", "updated", "version", "stages",
                "created_at", "enqueued_at", "started_at", "finished_at", "commit", "branch", "remote", "author", "link_url", "jobs");
        assertThat(list.getInt("[0].number")).isEqualTo(1);
        assertThat(list.getString("[0].status")).isEqualTo("pending");
        assertThat(list.getString("[0].event")).isEqualTo("custom");
        assertThat(list.getString("[0].after")).isEqualTo(sha);
        assertThat(list.getString("[0].commit")).isEqualTo(sha);
        assertThat(list.getString("[0].ref")).isEqualTo("refs/heads/main");
        assertThat(list.getString("[0].source")).isEqualTo("main");
        assertThat(list.getString("[0].sender")).isEqualTo("chris");
        assertThat(list.getString("[0].author_login")).isEqualTo("chris");
        near(list.getLong("[0].created"));
        assertThat(list.getLong("[0].created_at")).isEqualTo(list.getLong("[0].created"));
        assertThat(list.getLong("[0].started")).isZero();
        assertThat(list.getList("[0].stages")).hasSize(1);
        assertThat(list.getString("[0].stages[0].name")).isEqualTo("default");
        assertThat(list.getList("[0].stages[0].steps.name")).containsExactly("build", "test");
        assertThat(list.getList("[0].stages[0].steps.number")).containsExactly(1, 2);
        assertThat(list.getString("[0].stages[0].steps[0].image")).isEqualTo("alpine:3.20");
        assertThat(list.getList("[0].jobs.number")).containsExactly(1, 2);

        asUser().get(base + "/builds/latest").then().statusCode(200).body("number", equalTo(1));
        asUser().queryParam("branch", "main").get(base + "/builds/latest").then().statusCode(200).body("number", equalTo(1));
        droneError(asUser().queryParam("branch", "nope").get(base + "/builds/latest").then(), 404, "refs/heads/nope");

        // An agent runs the first step and writes its log.
        AgentCreds agent = Fixtures.registerAgent("drone-" + suite, Map.of("suite", suite));
        JsonPath work = fixtures.asAgent(agent.token()).post("/api/v1/ci/poll").then().statusCode(200).extract().jsonPath();
        long stepId = work.getLong("steps[0].id");
        fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", "running"))
                .put("/api/v1/ci/steps/" + stepId + "/status").then().statusCode(204);
        fixtures.asAgent(agent.token()).contentType(ContentType.TEXT).body("hello\nworld\npartial")
                .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(204);
        fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", "success", "exit_code", 0))
                .put("/api/v1/ci/steps/" + stepId + "/status").then().statusCode(204);

        JsonPath running = asUser().get(base + "/builds/1").then().statusCode(200)
                .body("status", equalTo("running")).body("stages[0].steps[0].status", equalTo("success"))
                .body("stages[0].steps[1].status", equalTo("pending")).extract().jsonPath();
        near(running.getLong("started"));
        near(running.getLong("stages[0].steps[0].started"));
        near(running.getLong("stages[0].steps[0].stopped"));

        JsonPath lines = asUser().get(base + "/builds/1/logs/1/1").then().statusCode(200).body("", hasSize(3)).extract().jsonPath();
        assertThat(lines.getList("pos")).containsExactly(0, 1, 2);
        assertThat(lines.getList("out")).containsExactly("hello\n", "world\n", "partial");
        assertThat(lines.getList("time", Integer.class)).allSatisfy(t -> assertThat(t).isBetween(0, 60));
        assertThat(lines.getMap("[0]")).containsOnlyKeys("pos", "out", "time");
        asUser().get(base + "/builds/1/logs/1/2").then().statusCode(200).body("", hasSize(0));
        droneError(asUser().get(base + "/builds/1/logs/1/3").then(), 404, "step 3 not found");
        droneError(asUser().get(base + "/builds/1/logs/2/1").then(), 404, "stage 2 not found");
        droneError(asUser().get(base + "/builds/1/logs/x/1").then(), 404, "stage number");
        // The older reference's job path: the whole log as text.
        asUser().get(base + "/logs/1/1").then().statusCode(200).body(equalTo("hello\nworld\npartial"));
        droneError(asUser().get(base + "/logs/1/9").then(), 404, "step 9 not found");
        droneError(asUser().delete(base + "/builds/1/logs/1/2").then(), 409, "finished");

        // Restart with parameters from the query string and from a form body (as drone-node sends them).
        JsonPath restarted = asUser().queryParam("DEPLOY_TO", "staging").contentType("application/x-www-form-urlencoded")
                .body("VERSION=1.2.3&NOTE=a%20b").post(base + "/builds/1").then().statusCode(200)
                .body("number", equalTo(2)).body("status", equalTo("pending")).body("after", equalTo(sha))
                .body("params.DEPLOY_TO", equalTo("staging")).body("params.VERSION", equalTo("1.2.3"))
                .body("params.NOTE", equalTo("a b")).extract().jsonPath();
        assertThat(restarted.getList("stages[0].steps.name")).containsExactly("build", "test");
        droneError(asUser().queryParam("1BAD", "x").post(base + "/builds/1").then(), 400, "environment variable names");
        droneError(asUser().contentType(ContentType.JSON).body("{\"A\": 1}").post(base + "/builds/1").then(), 400,
                "must be a string");
        droneError(asUser().post(base + "/builds/77").then(), 404, "#77");

        // Build 1 still runs on the agent; cancelling it reaches the agent, and the parameters reach build 2's steps.
        asUser().delete(base + "/builds/1").then().statusCode(200).body("number", equalTo(1)).body("status", equalTo("killed"))
                .body("stages[0].steps[1].status", equalTo("killed"));
        fixtures.asAgent(agent.token()).post("/api/v1/ci/heartbeat").then().statusCode(200).body("cancel", hasSize(1));
        droneError(asUser().delete(base + "/builds/1").then(), 409, "already cancelled");
        JsonPath second = fixtures.asAgent(agent.token()).post("/api/v1/ci/poll").then().statusCode(200).extract().jsonPath();
        assertThat(second.getMap("steps[0].environment")).containsEntry("DEPLOY_TO", "staging").containsEntry("VERSION", "1.2.3");

        // Restarting build 2 keeps its parameters and overrides the ones given again.
        asUser().queryParam("VERSION", "2.0").post(base + "/builds/2").then().statusCode(200).body("number", equalTo(3))
                .body("params.VERSION", equalTo("2.0")).body("params.DEPLOY_TO", equalTo("staging"));
        asUser().queryParam("per_page", 2).get(base + "/builds").then().statusCode(200).body("number", equalTo(List.of(3, 2)));
        asUser().queryParam("per_page", 2).queryParam("page", 2).get(base + "/builds").then().body("number", equalTo(List.of(1)));
        droneError(asUser().queryParam("per_page", 1000).get(base + "/builds").then(), 400, "per_page");

        // The queue holds the pending build 3 and the running build 2.
        asUser().get("/api/queue").then().statusCode(200)
                .body("findAll { it.repo_id == " + repo.id() + " }.build_number", equalTo(List.of(2, 3)))
                .body("findAll { it.repo_id == " + repo.id() + " }.status", equalTo(List.of("running", "pending")));

        // The seed's job cancel cancels the build the job belongs to.
        asUser().delete(base + "/logs/3/1").then().statusCode(200).body("status", equalTo("killed"));
        asUser().get(base).then().body("counter", equalTo(3));
        asUser().delete(base + "/builds/2").then().statusCode(200).body("status", equalTo("killed"));

        // Drone's create build: the branch head (or a commit of it) with parameters.
        String next = GitRepos.commit(repo, "main", Map.of("README", "more"));
        asUser().queryParam("branch", "main").queryParam("TARGET", "prod").post(base + "/builds").then().statusCode(200)
                .body("number", equalTo(4)).body("event", equalTo("custom")).body("after", equalTo(next))
                .body("params.TARGET", equalTo("prod")).body("params", not(hasKey("branch")));
        asUser().queryParam("commit", sha).post(base + "/builds").then().statusCode(200)
                .body("number", equalTo(5)).body("after", equalTo(sha)).body("source", equalTo("main"));
        droneError(asUser().queryParam("commit", "abc").post(base + "/builds").then(), 400, "full commit SHA");
        droneError(asUser().queryParam("commit", "0".repeat(40)).post(base + "/builds").then(), 404, "not found");
        droneError(asUser().queryParam("branch", "nope").post(base + "/builds").then(), 404, "branch 'nope' not found");

        // Disabled repositories do not restart builds.
        asUser().delete(base).then().statusCode(200);
        droneError(asUser().post(base + "/builds/1").then(), 422, "activate");
        droneError(asUser().get(base + "/builds/abc").then(), 404, "build number");
    }

    /** The gateway's /api/user/repos and /api/user/feed read this: Drone repos with their latest build, unknown ids left out. */
    @Test
    void internalSummariesForTheGateway() {
        String suite = suite();
        Repo repo = fixtures.repo("drone", "summary-" + suite);
        Repo idle = fixtures.repo("drone", "idle-" + suite);
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, """
                  build:
                    commands: [make]
                """)));
        Fixtures.trigger(repo, "main");
        String service = InternalKeys.shared().serviceToken("api-gateway", "pipeline-service");
        JsonPath data = io.restassured.RestAssured.given().auth().oauth2(service).contentType(ContentType.JSON)
                .body(Map.of("repo_ids", List.of(repo.id(), 987_654_321_987L, idle.id())))
                .post("/internal/drone/repos").then().statusCode(200).extract().jsonPath();
        assertThat(data.getList("data.repo.id", Long.class)).containsExactly(repo.id(), idle.id());
        assertThat(data.getString("data[0].repo.slug")).isEqualTo("drone/" + repo.name());
        assertThat(data.getInt("data[0].repo.counter")).isEqualTo(1);
        assertThat(data.getInt("data[0].build.number")).isEqualTo(1);
        assertThat(data.getString("data[0].build.status")).isEqualTo("pending");
        assertThat(data.getMap("data[1]")).containsEntry("build", null);
        io.restassured.RestAssured.given().auth().oauth2(service).contentType(ContentType.JSON).body(Map.of("repo_ids", List.of(-1)))
                .post("/internal/drone/repos").then().statusCode(400).body("error.code", equalTo("validation_failed"));
        io.restassured.RestAssured.given().contentType(ContentType.JSON).body(Map.of("repo_ids", List.of(1)))
                .post("/internal/drone/repos").then().statusCode(401);
    }

    @Test
    void secretsAndCron() {
        Repo repo = fixtures.repo("drone", "secrets-" + suite());
        String base = "/api/repos/drone/" + repo.name();
        asUser().contentType(ContentType.JSON).body(Map.of("name", "token", "data", "s3cr3t")).post(base + "/secrets")
                .then().statusCode(200).body("name", equalTo("token")).body("pull_request", equalTo(false))
                .body("repo_id", equalTo((int) repo.id())).body("events", equalTo(List.of("push", "tag", "cron", "manual")));
        asUser().contentType(ContentType.JSON).body(Map.of("name", "pr", "data", "x", "pull_request", true))
                .post(base + "/secrets").then().statusCode(200).body("pull_request", equalTo(true));
        droneError(asUser().contentType(ContentType.JSON).body(Map.of("name", "token", "data", "again")).post(base + "/secrets")
                .then(), 409, "already exists");
        droneError(asUser().contentType(ContentType.JSON).body(Map.of("name", "nodata")).post(base + "/secrets").then(),
                400, "data is required");
        droneError(asUser().contentType(ContentType.JSON).body(Map.of("name", "x", "data", "y", "pull_request_push", true))
                .post(base + "/secrets").then(), 400, "forks");
        JsonPath secrets = asUser().get(base + "/secrets").then().statusCode(200).body("name", equalTo(List.of("pr", "token")))
                .extract().jsonPath();
        assertThat(secrets.getMap("[0]")).doesNotContainKeys("data", "value");
        asUser().contentType(ContentType.JSON).body(Map.of("pull_request", true)).patch(base + "/secrets/token")
                .then().statusCode(200).body("pull_request", equalTo(true));
        asUser().get(base + "/secrets/token").then().statusCode(200).body("events", hasItem("pull_request"));
        droneError(asUser().get(base + "/secrets/missing").then(), 404, "secret 'missing' not found");
        asUser().delete(base + "/secrets/token").then().statusCode(204);
        droneError(asUser().delete(base + "/secrets/token").then(), 404, "not found");

        JsonPath cron = asUser().contentType(ContentType.JSON)
                .body(Map.of("name", "nightly", "expr", "0 0 2 * * *", "branch", "main")).post(base + "/cron")
                .then().statusCode(200).body("name", equalTo("nightly")).body("expr", equalTo("0 0 2 * * *"))
                .body("branch", equalTo("main")).body("event", equalTo("push")).body("disabled", equalTo(false))
                .extract().jsonPath();
        assertThat(cron.getLong("next")).isGreaterThan(Instant.now().getEpochSecond());
        near(cron.getLong("created"));
        assertThat(cron.getLong("prev")).isZero();
        droneError(asUser().contentType(ContentType.JSON).body(Map.of("name", "bad", "expr", "30 0 2 * * *"))
                .post(base + "/cron").then(), 400, "seconds 0");
        droneError(asUser().contentType(ContentType.JSON).body(Map.of("name", "bad", "expr", "whenever"))
                .post(base + "/cron").then(), 400, "");
        droneError(asUser().contentType(ContentType.JSON).body(Map.of("name", "off", "expr", "@daily", "disabled", true))
                .post(base + "/cron").then(), 400, "disabled");
        asUser().contentType(ContentType.JSON).body(Map.of("expr", "@hourly")).patch(base + "/cron/nightly")
                .then().statusCode(200).body("expr", equalTo("@hourly"));
        asUser().get(base + "/cron").then().statusCode(200).body("name", equalTo(List.of("nightly")));
        asUser().get(base + "/cron/nightly").then().statusCode(200).body("expr", equalTo("@hourly"));
        asUser().delete(base + "/cron/nightly").then().statusCode(204);
        droneError(asUser().get(base + "/cron/nightly").then(), 404, "cron 'nightly' not found");
    }
}
