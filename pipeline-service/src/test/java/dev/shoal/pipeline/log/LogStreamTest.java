package dev.shoal.pipeline.log;

import static dev.shoal.pipeline.support.Fixtures.asUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.Fixtures.AgentCreds;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class LogStreamTest {

    @Inject
    Fixtures fixtures;

    /** The lines of an SSE response as they arrive. */
    private static final class Follower {
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final CompletableFuture<HttpResponse<Void>> response;

        Follower(String path, String lastEventId) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                    .header("Authorization", "Bearer " + Fixtures.userToken())
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            response = HttpClient.newHttpClient().sendAsync(request.build(),
                    HttpResponse.BodyHandlers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {
                        @Override
                        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                            s.request(Long.MAX_VALUE);
                        }

                        @Override
                        public void onNext(String item) {
                            lines.add(item);
                        }

                        @Override
                        public void onError(Throwable t) {
                            lines.add("!error " + t);
                        }

                        @Override
                        public void onComplete() {
                            lines.add("!complete");
                        }
                    }));
        }

        /** Lines up to and including the first that starts with {@code prefix}. */
        List<String> until(String prefix, Duration max) throws InterruptedException {
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + max.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    break;
                }
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return seen;
                }
            }
            throw new AssertionError("no line starting with '" + prefix + "' within " + max + "; saw " + seen);
        }
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
        Follower follower = new Follower(path, null);
        List<String> first = follower.until("data:", Duration.ofSeconds(10));
        assertThat(String.join("\n", first)).contains("id:11").contains("event:log");
        assertThat(first.get(first.size() - 1)).isEqualTo("data:first line");

        // Appended after the follower subscribed: it must arrive within 500 ms.
        long start = System.nanoTime();
        append(agent, stepId, "second line\n");
        List<String> second = follower.until("data:second line", Duration.ofSeconds(5));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(millis).as("latency of a live log line").isLessThan(500);
        assertThat(String.join("\n", second)).contains("id:23");

        fixtures.asAgent(agent.token()).contentType(ContentType.JSON).body(Map.of("status", "success", "exit_code", 0))
                .put("/api/v1/ci/steps/" + stepId + "/status").then().statusCode(204);
        List<String> end = follower.until("!complete", Duration.ofSeconds(5));
        assertThat(end).contains("event:end");
        // The response object of a streamed body is complete once the stream ended.
        HttpResponse<Void> response = follower.response.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");

        // Resuming from the id of the first event gives only what came after it.
        Follower resumed = new Follower(path, "11");
        List<String> rest = resumed.until("!complete", Duration.ofSeconds(10));
        assertThat(rest).contains("data:second line", "event:end").doesNotContain("data:first line");

        Follower middle = new Follower(path, "17");
        assertThat(middle.until("!complete", Duration.ofSeconds(10))).contains("data: line");

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
