package dev.shoal.pipeline.cron;

import static dev.shoal.pipeline.support.Fixtures.asUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.shoal.pipeline.cron.service.CronService;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class CronApiTest {

    @Inject
    Fixtures fixtures;

    @Inject
    CronService crons;

    @Test
    void cronLifecycleAndMissedTicksRunOnce() {
        Repo repo = fixtures.repo("timer", "nightly");
        String sha = GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml("cron-nightly", """
                  nightly:
                    commands: [make nightly]
                    when:
                      event: cron
                  always:
                    commands: [make]
                """)));
        String base = "/api/v1/repos/timer/nightly/cron";
        int id = asUser().contentType(ContentType.JSON).body(Map.of("name", "nightly", "schedule", "@every 10m", "branch", "main"))
                .post(base).then().statusCode(201)
                .body("data.name", equalTo("nightly")).body("data.schedule", equalTo("@every 10m"))
                .body("data.branch", equalTo("main")).body("data.next_run_at", notNullValue())
                .extract().path("data.id");
        asUser().contentType(ContentType.JSON).body(Map.of("name", "nightly", "schedule", "@daily")).post(base)
                .then().statusCode(409);
        asUser().contentType(ContentType.JSON).body(Map.of("name", "bad", "schedule", "61 * * * *")).post(base)
                .then().statusCode(400).body("error.message", containsString("schedule: minute"));
        asUser().contentType(ContentType.JSON).body(Map.of("name", "bad", "schedule", "@daily", "branch", "../x")).post(base)
                .then().statusCode(400);
        asUser().contentType(ContentType.JSON).body(Map.of("schedule", "0 3 * * *")).patch(base + "/" + id)
                .then().statusCode(200).body("data.schedule", equalTo("0 3 * * *")).body("data.name", equalTo("nightly"));
        asUser().contentType(ContentType.JSON).body(Map.of("schedule", "0 3 * * *")).patch(base + "/999999")
                .then().statusCode(404);
        asUser().get(base).then().statusCode(200).body("data", hasSize(1));

        // The service was "down" across several ticks: the schedule runs once, then continues from now.
        fixtures.pool().preparedQuery("UPDATE cron SET next_run_at = now() - interval '3 days' WHERE id = $1")
                .execute(Tuple.of((long) id)).await().atMost(Duration.ofSeconds(5));
        crons.runDue().await().atMost(Duration.ofSeconds(30));
        crons.runDue().await().atMost(Duration.ofSeconds(30));
        asUser().get("/api/v1/repos/timer/nightly/pipelines").then().statusCode(200)
                .body("total", equalTo(1))
                .body("pipelines[0].event", equalTo("cron"))
                .body("pipelines[0].commit_node", equalTo(sha))
                .body("pipelines[0].trigger_user.username", equalTo("chris"));
        asUser().get("/api/v1/repos/timer/nightly/pipelines/1").then().body("steps.name",
                equalTo(java.util.List.of("nightly", "always")));
        String next = asUser().get(base).then().extract().path("data[0].next_run_at");
        assertThat(Instant.parse(next)).isAfter(Instant.now());

        asUser().delete(base + "/" + id).then().statusCode(204);
        asUser().delete(base + "/" + id).then().statusCode(404);
    }
}
