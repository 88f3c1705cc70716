package dev.shoal.pipeline.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures.AgentCreds;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /q/metrics exports the job queue as the KEDA autoscaler of deploy/k8s reads it: pending count,
 * the age of the oldest pending pipeline and the running count, equal to the database's own count
 * once sampled, and moving as an agent claims work.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class QueueMetricsTest {

    @Inject
    Fixtures fixtures;

    @Test
    void queueGaugesFollowPendingAndRunningPipelines() {
        String suite = "m" + UUID.randomUUID().toString().substring(0, 8);
        Repo repo = fixtures.repo("ci", "metrics-" + suite);
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, """
                  build:
                    commands: [echo build]
                """)));
        for (int i = 0; i < 3; i++) {
            Fixtures.trigger(repo, "main");
        }
        // one of them has been waiting for ten minutes
        fixtures.pool().preparedQuery("UPDATE pipeline SET created_at = now() - interval '10 minutes' "
                + "WHERE repo_id = $1 AND number = 1").execute(Tuple.of(repo.id())).await().atMost(Duration.ofSeconds(5));

        assertThat(counts()[0]).isGreaterThanOrEqualTo(3);
        // a sample taken between the triggers and the back-dating matches the counts already: wait for a later one
        String metrics = await(m -> matchesDatabaseCounts(m) && gauge(m, "shoal_pipeline_queue_oldest_pending_seconds") >= 600);
        assertThat(gauge(metrics, "shoal_pipeline_queue_pending")).isGreaterThanOrEqualTo(3);
        assertThat(gauge(metrics, "shoal_pipeline_queue_oldest_pending_seconds")).isBetween(600.0, 3600.0);
        assertThat(metrics).contains("# TYPE shoal_pipeline_queue_pending gauge");

        AgentCreds agent = Fixtures.registerAgent("metrics-" + suite, Map.of("suite", suite));
        fixtures.asAgent(agent.token()).post("/api/v1/ci/poll").then().statusCode(200);
        String after = awaitDatabaseCounts();
        assertThat(gauge(after, "shoal_pipeline_running")).isGreaterThanOrEqualTo(1);
    }

    /** Waits until a sample equals the database's counts (other tests' pipelines included). */
    private String awaitDatabaseCounts() {
        return await(this::matchesDatabaseCounts);
    }

    private boolean matchesDatabaseCounts(String metrics) {
        long[] now = counts();
        return gauge(metrics, "shoal_pipeline_queue_pending") == now[0] && gauge(metrics, "shoal_pipeline_running") == now[1];
    }

    /** pending and running, as the database counts them now. */
    private long[] counts() {
        Row row = fixtures.pool().query("SELECT count(*) FILTER (WHERE status = 'pending'), "
                + "count(*) FILTER (WHERE status = 'running') FROM pipeline").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next();
        return new long[] {row.getLong(0), row.getLong(1)};
    }

    private static String await(Predicate<String> done) {
        return Waits.until(Duration.ofSeconds(20), QueueMetricsTest::metrics, done, "the expected queue metrics");
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double gauge(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.E+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
