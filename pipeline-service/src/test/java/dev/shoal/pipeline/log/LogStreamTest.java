package dev.shoal.pipeline.log;

import static dev.shoal.pipeline.support.Fixtures.asUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.Fixtures.AgentCreds;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.SseFollower;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class LogStreamTest {

    @Inject
    Fixtures fixtures;

    /** The step log's stream as the signed-in user, resuming after {@code lastEventId} when given. */
    private static SseFollower follow(String path, String lastEventId) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Authorization", "Bearer " + Fixtures.userToken()));
        if (lastEventId != null) {
            headers.put("Last-Event-ID", lastEventId);
        }
        return new SseFollower(URI.create("http://localhost:" + RestAssured.port + path), headers);
    }

    @Test
    void followerSeesExistingThenLiveChunksThenEnd() throws Exception {
        String suite = "s" + UUID.randomUUID().toString().substring(0, 8);
        Repo repo = fixtures.repo("logs", "follow-" + suite);
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, "  build:\n    commands: [make]\n")));
        Fixtures.trigger(repo, "main");
        AgentCreds agent = Fixtures.registerAgent("logs-" + suite, Map.of("suite", suite));
        JsonPath work = fixtures.asAgent(agent.token()).post("/api/v1/ci/poll").then().statusCode(200).extract().jsonPath();
        long stepId = work.getLong("steps[0].id");
        fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", "running"))
                .put("/api/v1/ci/steps/" + stepId + "/status").then().statusCode(204);
        append(agent, stepId, "first line\n");

        String path = "/api/v1/repos/logs/" + repo.name() + "/pipelines/1/steps/1/log/stream";
        SseFollower follower = follow(path, null);
        List<String> first = follower.untilStartsWith("data:", Duration.ofSeconds(10));
        assertThat(String.join("\n", first)).contains("id:11").contains("event:log");
        assertThat(first.get(first.size() - 1)).isEqualTo("data:first line");

        // Appended after the follower subscribed: it must arrive within 500 ms.
        long start = System.nanoTime();
        append(agent, stepId, "second line\n");
        List<String> second = follower.untilStartsWith("data:second line", Duration.ofSeconds(5));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(millis).as("latency of a live log line").isLessThan(500);
        assertThat(String.join("\n", second)).contains("id:23");

        fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", "success", "exit_code", 0))
                .put("/api/v1/ci/steps/" + stepId + "/status").then().statusCode(204);
        List<String> end = follower.untilStartsWith("!complete", Duration.ofSeconds(5));
        assertThat(end).contains("event:end");
        // The response object of a streamed body is complete once the stream ended.
        HttpResponse<Void> response = follower.response().get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");

        // Resuming from the id of the first event gives only what came after it.
        SseFollower resumed = follow(path, "11");
        List<String> rest = resumed.untilStartsWith("!complete", Duration.ofSeconds(10));
        assertThat(rest).contains("data:second line", "event:end").doesNotContain("data:first line");

        SseFollower middle = follow(path, "17");
        assertThat(middle.untilStartsWith("!complete", Duration.ofSeconds(10))).contains("data: line");

        asUser().get("/api/v1/repos/logs/" + repo.name() + "/pipelines/1/steps/1/log").then().statusCode(200)
                .body(equalTo("first line\nsecond line\n"));
        asUser().header("Last-Event-ID", "abc").get(path).then().statusCode(400).body("error.code", equalTo("validation_failed"));
        asUser().get("/api/v1/repos/logs/" + repo.name() + "/pipelines/1/steps/9/log/stream").then().statusCode(404)
                .body("error.code", equalTo("not_found"));
        asUser().get("/api/v1/repos/logs/" + repo.name() + "/pipelines/1/steps/9/log").then().statusCode(404);
    }

    private void append(AgentCreds agent, long stepId, String text) {
        fixtures.asAgent(agent.token()).contentType(ContentType.TEXT).body(text)
                .post("/api/v1/ci/steps/" + stepId + "/log").then().statusCode(204);
    }
}
