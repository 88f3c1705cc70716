package dev.shoal.pipeline.compat.woodpecker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.Scope;
import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The Woodpecker operations issue 21 added: the forge hook (signed Shoal deliveries start
 * pipelines; unsigned, wrongly signed and malformed ones are refused), activation, repair, chown,
 * move, deleting an organization's CI data, and the JVM's pprof equivalents.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class WoodpeckerForgeOpsTest {

    private static final String SECRET = "hook-test-s3cret";

    @Inject
    Fixtures fixtures;

    @Inject
    ObjectMapper mapper;

    static RequestSpecification owner(Repo repo) {
        return given().auth().oauth2(InternalKeys.shared().userToken(5, "chris", List.of("read", "write", "admin"), 77L,
                repo == null ? null : repo.id(), "owner"));
    }

    static RequestSpecification siteAdmin(Long orgId) {
        return given().auth().oauth2(Fixtures.GATEWAY.forCaller(new Caller("user", 1L, "root", true,
                Set.of(Scope.READ, Scope.WRITE, Scope.ADMIN), orgId, null, Caller.OWNER), "pipeline"));
    }

    private static String sign(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private RequestSpecification hook(String event, byte[] body, String signature) {
        // No user token: the gateway forwards the hook (auth none) with an anonymous caller's internal JWT.
        String anonymous = Fixtures.GATEWAY.forCaller(new Caller("anonymous", null, null, false, Set.of(), null, null,
                Caller.NONE), "pipeline");
        RequestSpecification spec = given().auth().oauth2(anonymous).contentType(ContentType.JSON)
                .header("X-Shoal-Event", event).body(body);
        return signature == null ? spec : spec.header("X-Shoal-Signature-256", signature);
    }

    @Test
    void signedPushAndPullRequestDeliveriesStartPipelinesAndOthersAreRefused() throws Exception {
        String suite = "hook" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Repo repo = fixtures.repo("hooks", "app-" + suite);
        String sha = GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, """
                  build:
                    commands: [make]
                """)));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("ref", "refs/heads/main");
        payload.put("before", "0".repeat(40));
        payload.put("after", sha);
        payload.put("commits", List.of());
        payload.put("head_commit", Map.of("sha", sha, "message", "Teach the hook", "author", "Lin <lin@example.com>",
                "author_name", "Lin", "author_email", "lin@example.com", "timestamp", "2025-05-06T07:08:09Z"));
        payload.put("pusher", Map.of("id", 12, "login", "lin"));
        payload.put("repository", Map.of("id", repo.id(), "org", repo.org(), "name", repo.name(), "full_name",
                repo.fullName(), "private", false));
        payload.put("sender", Map.of("id", 12, "login", "lin"));
        byte[] body = mapper.writeValueAsBytes(payload);

        hook("push", body, null).post("/api/hook").then().statusCode(401)
                .body("error.message", containsString("X-Shoal-Signature-256"));
        hook("push", body, "sha256=" + "0".repeat(64)).post("/api/hook").then().statusCode(403)
                .body("error.message", containsString("does not match"));
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("Teach", "Break").getBytes(StandardCharsets.UTF_8);
        hook("push", tampered, sign(body)).post("/api/hook").then().statusCode(403);
        byte[] broken = "{\"ref\": ".getBytes(StandardCharsets.UTF_8);
        hook("push", broken, sign(broken)).post("/api/hook").then().statusCode(400)
                .body("error.message", containsString("not JSON"));
        byte[] noRepo = "{\"ref\": \"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
        hook("push", noRepo, sign(noRepo)).post("/api/hook").then().statusCode(400)
                .body("error.message", containsString("repository"));
        hook("release", body, sign(body)).post("/api/hook").then().statusCode(400)
                .body("error.message", containsString("X-Shoal-Event"));

        int number = hook("push", body, sign(body)).post("/api/hook").then().statusCode(200)
                .body("message", equalTo("started"))
                .body("pipeline.commit", equalTo(sha)).body("pipeline.event", equalTo("push"))
                .body("pipeline.message", equalTo("Teach the hook")).body("pipeline.author", equalTo("Lin"))
                .body("pipeline.author_email", equalTo("lin@example.com")).body("pipeline.sender", equalTo("lin"))
                .body("pipeline.timestamp", equalTo((int) java.time.Instant.parse("2025-05-06T07:08:09Z").getEpochSecond()))
                .extract().path("pipeline.number");
        // Delivered again (or already started by Shoal's own event): the same pipeline, not a second.
        hook("push", body, sign(body)).post("/api/hook").then().statusCode(200)
                .body("message", equalTo("already started")).body("pipeline.number", equalTo(number));
        owner(repo).get("/api/repos/" + repo.id() + "/pipelines").then().statusCode(200).body("size()", equalTo(1));

        String featureSha = GitRepos.commit(repo, "feature", Map.of("f.txt", "f"));
        Map<String, Object> pr = new LinkedHashMap<>();
        pr.put("action", "opened");
        pr.put("pull_request", Map.of("id", 900, "number", 4, "title", "Add f", "status", "open",
                "source_bookmark", "feature", "target_branch", "main", "head_sha", featureSha, "base_sha", sha));
        pr.put("repository", payload.get("repository"));
        pr.put("sender", Map.of("id", 12, "login", "lin"));
        byte[] prBody = mapper.writeValueAsBytes(pr);
        hook("pull_request", prBody, sign(prBody)).post("/api/hook").then().statusCode(200)
                .body("message", equalTo("started")).body("pipeline.event", equalTo("pull_request"))
                .body("pipeline.commit", equalTo(featureSha)).body("pipeline.branch", equalTo("main"))
                .body("pipeline.title", equalTo("Add f"));
        hook("pull_request", prBody, sign(prBody)).post("/api/hook").then().statusCode(200)
                .body("pipeline", nullValue()).body("message", containsString("nothing to start"));
    }

    @Test
    void activateRepairChownMoveAndDeleteAnOrganizationsCiData() {
        String suite = "ops" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Repo repo = fixtures.repo("ops", "app-" + suite);
        String base = "/api/repos/" + repo.id();
        owner(repo).delete(base).then().statusCode(200).body("active", equalTo(false));
        siteAdmin(null).post("/api/repos").then().statusCode(400).body("error.message", containsString("forge_remote_id"));
        siteAdmin(null).queryParam("forge_remote_id", "abc").post("/api/repos").then().statusCode(400);
        siteAdmin(null).queryParam("forge_remote_id", "987654321987").post("/api/repos").then().statusCode(404);
        siteAdmin(null).queryParam("forge_remote_id", String.valueOf(repo.id())).post("/api/repos").then().statusCode(200)
                .body("id", equalTo((int) repo.id())).body("active", equalTo(true));
        owner(repo).get(base).then().statusCode(200).body("active", equalTo(true));

        owner(repo).post(base + "/repair").then().statusCode(204);
        siteAdmin(null).post("/api/repos/repair").then().statusCode(204);

        owner(repo).post(base + "/chown").then().statusCode(200).body("id", equalTo((int) repo.id()));
        var row = fixtures.pool().preparedQuery("SELECT owner_id, owner_login FROM repo_ci_settings WHERE repo_id = $1")
                .execute(Tuple.of(repo.id())).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertThat(row.getLong("owner_id")).isEqualTo(5L);
        assertThat(row.getString("owner_login")).isEqualTo("chris");

        owner(repo).post(base + "/move").then().statusCode(400).body("error.message", containsString("to is required"));
        owner(repo).queryParam("to", "no-slash").post(base + "/move").then().statusCode(400);
        owner(repo).queryParam("to", "elsewhere/app").post(base + "/move").then().statusCode(422)
                .body("error.message", containsString("rename or transfer it there first"));
        owner(repo).queryParam("to", repo.fullName()).post(base + "/move").then().statusCode(200)
                .body("full_name", equalTo(repo.fullName()));

        long org = 880_000 + System.nanoTime() % 100_000;
        RequestSpecification orgOwner = given().auth().oauth2(InternalKeys.shared().userToken(5, "chris",
                List.of("read", "write", "admin"), org, null, "owner"));
        orgOwner.contentType(ContentType.JSON).body(Map.of("name", "deploy_key", "value", "v4lue", "events", List.of("push")))
                .post("/api/orgs/" + org + "/secrets").then().statusCode(200);
        orgOwner.contentType(ContentType.JSON).body(Map.of("address", "ghcr.io", "username", "bot", "password", "pw"))
                .post("/api/orgs/" + org + "/registries").then().statusCode(200);
        siteAdmin(org).delete("/api/orgs/" + (org + 1)).then().statusCode(404);
        siteAdmin(org).delete("/api/orgs/" + org).then().statusCode(204);
        orgOwner.get("/api/orgs/" + org + "/secrets").then().statusCode(200).body("size()", equalTo(0));
        orgOwner.get("/api/orgs/" + org + "/registries").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void pprofAnswersTheJvmsEquivalents() {
        siteAdmin(null).get("/api/debug/pprof/goroutine").then().statusCode(200)
                .contentType(containsString("text/plain")).body(containsString("\tat "));
        siteAdmin(null).get("/api/debug/pprof/heap").then().statusCode(200).body(containsString("java.lang.String"));
        String cmdline = siteAdmin(null).get("/api/debug/pprof/cmdline").then().statusCode(200).extract().asString();
        assertThat(cmdline).contains("/bin/java");
        siteAdmin(null).get("/api/debug/pprof/block").then().statusCode(404)
                .body("error.message", containsString("goroutine, heap, profile, trace, cmdline"));
        siteAdmin(null).queryParam("seconds", "0").get("/api/debug/pprof/profile").then().statusCode(400);
        siteAdmin(null).queryParam("seconds", "61").get("/api/debug/pprof/trace").then().statusCode(400);
        byte[] jfr = siteAdmin(null).queryParam("seconds", "1").get("/api/debug/pprof/profile").then().statusCode(200)
                .header("Content-Disposition", containsString("profile.jfr")).extract().asByteArray();
        assertThat(new String(jfr, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("FLR");
    }
}
