package dev.shoal.pipeline.compat.woodpecker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.Fixtures.AgentCreds;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.InternalTokens;
import dev.shoal.platform.identity.Scope;
import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.SseFollower;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Woodpecker's SSE streams: a step's log line by line, and pipeline changes as they commit. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class WoodpeckerStreamTest {

    @Inject
    Fixtures fixtures;

    @Inject
    RepoDirectory directory;

    @Inject
    Pool pool;

    @Inject
    InternalTokens tokens;

    /** Woodpecker's stream at {@code path} as the holder of {@code token}. */
    private static SseFollower follow(String path, String token) {
        return new SseFollower(URI.create("http://localhost:" + RestAssured.port + path), Map.of("Authorization", "Bearer " + token));
    }

    private static String owner(Repo repo) {
        return InternalKeys.shared().userToken(5, "chris", List.of("read", "write", "admin"), 77L, repo.id(), "owner");
    }

    /**
     * One events stream spans every organization: a private repository's pipeline changes reach site
     * admins only, never another user following the stream (not even an owner of some organization).
     * The public change that follows shows the private one was not merely late.
     */
    @Test
    void eventsOfPrivateRepositoriesReachOnlySiteAdmins() throws Exception {
        String suite = "wpp" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Repo shown = fixtures.repo("wood", "open-" + suite);
        Repo created = fixtures.repo("wood", "hidden-" + suite);
        Repo hidden = new Repo(created.id(), created.orgId(), created.org(), created.name(), true, "main");
        pool.withTransaction(tx -> directory.upsert(tx, hidden)).await().atMost(Duration.ofSeconds(10));
        for (Repo repo : List.of(shown, hidden)) {
            GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, "  s:\n    commands: [true]\n")));
        }
        String siteAdmin = Fixtures.GATEWAY.forCaller(new Caller("user", 1L, "admin", true, Set.of(Scope.READ), null, null, Caller.NONE),
                "pipeline");
        String otherUser = InternalKeys.shared().userToken(9, "olaf", List.of("read", "write", "admin"), 78L, null, "owner");
        try (SseFollower user = follow("/api/stream/events", otherUser);
             SseFollower admin = follow("/api/stream/events", siteAdmin)) {
            user.untilContains(":ping", Duration.ofSeconds(20));
            admin.untilContains(":ping", Duration.ofSeconds(20));
            for (Repo repo : List.of(hidden, shown)) {
                io.restassured.RestAssured.given().auth().oauth2(owner(repo)).contentType(ContentType.JSON).body("{}")
                        .post("/api/repos/" + repo.id() + "/pipelines").then().statusCode(200);
            }
            List<String> seenByUser = user.untilContains("\"full_name\":\"" + shown.fullName() + "\"", Duration.ofSeconds(20));
            assertThat(seenByUser).noneMatch(line -> line.contains(hidden.fullName()) || line.contains("\"repo_id\":" + hidden.id() + ","));
            admin.untilContains("\"full_name\":\"" + hidden.fullName() + "\"", Duration.ofSeconds(20));
        }
    }

    @Test
    void logStreamSendsEntriesThenEofAndEventsStreamSeesPipelineChanges() throws Exception {
        String suite = "wps" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Repo repo = fixtures.repo("wood", "stream-" + suite);
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, "  s:\n    commands: [true]\n")));
        String token = owner(repo);

        try (SseFollower events = follow("/api/stream/events", token)) {
            // The first comment shows the stream (and its listener) is up.
            events.untilContains(":ping", Duration.ofSeconds(20));
            io.restassured.RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON).body("{}")
                    .post("/api/repos/" + repo.id() + "/pipelines").then().statusCode(200);
            List<String> seen = events.untilContains("\"full_name\":\"" + repo.fullName() + "\"", Duration.ofSeconds(20));
            String data = seen.get(seen.size() - 1);
            assertThat(data).startsWith("data:").contains("\"pipeline\":{").contains("\"status\":\"pending\"");
        }

        AgentCreds agent = Fixtures.registerAgent("wpstream-" + suite, Map.of("suite", suite));
        JsonPath work = fixtures.asAgent(agent.token()).post("/api/v1/ci/poll").then().statusCode(200).extract().jsonPath();
        long stepId = work.getLong("steps[0].id");
        try (SseFollower log = follow("/api/stream/logs/" + repo.id() + "/1/" + stepId, token)) {
            fixtures.asAgent(agent.token()).contentType(ContentType.TEXT).body("hello\nwor")
                    .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(204);
            List<String> first = log.untilContains("data:", Duration.ofSeconds(20));
            JsonPath entry = JsonPath.from(first.get(first.size() - 1).substring("data:".length()).trim());
            assertThat(new String(Base64.getDecoder().decode(entry.getString("data")), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(entry.getLong("step_id")).isEqualTo(stepId);
            fixtures.asAgent(agent.token()).contentType(ContentType.TEXT).body("ld\n")
                    .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(204);
            fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", "success", "exit_code", 0))
                    .put("/api/v1/ci/steps/" + stepId + "/status").then().statusCode(204);
            List<String> rest = log.untilContains("eof", Duration.ofSeconds(20));
            assertThat(rest).anySatisfy(line -> assertThat(line).startsWith("data:")
                    .contains(Base64.getEncoder().encodeToString("world".getBytes(StandardCharsets.UTF_8))));
            assertThat(rest).contains("event:error");
        }
        io.restassured.RestAssured.given().auth().oauth2(token).get("/api/stream/logs/" + repo.id() + "/1/999999")
                .then().statusCode(404);
    }
}
