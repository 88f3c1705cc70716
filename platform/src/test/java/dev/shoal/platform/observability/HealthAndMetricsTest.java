package dev.shoal.platform.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.KafkaBroker;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Readiness reports Kafka and the outbox (DOWN with the reason and the backlog during a real broker
 * outage, UP again after it), and /q/metrics exports Shoal's meters next to per-route HTTP timings.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "platform_test"))
class HealthAndMetricsTest {

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Test
    void metricsExportOutboxGaugesConsumerCountersAndPerRouteHttpTimings() {
        String token = InternalKeys.shared().userToken(7, "chris", List.of("read"), null, null, "member");
        given().auth().oauth2(token).when().get("/probe/41").then().statusCode(200);

        long before = appliedByProbe(metrics());
        writeEvent(Duration.ZERO);
        String after = await(Duration.ofSeconds(60), HealthAndMetricsTest::metrics, m -> appliedByProbe(m) > before);

        assertThat(after).contains("shoal_outbox_backlog ", "shoal_outbox_oldest_age_seconds ");
        assertThat(after).containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/probe/\\{id\\}\"");
    }

    @Test
    void consumerLagCountsTheEventsAHeldConsumerHasNotAppliedAndReturnsToZero() {
        String series = "shoal_consumer_lag{consumer=\"lag-probe\",group=\"shoal.lag-probe\",topic=\"shoal.pipeline\"}";
        // the consumer has joined and measured its (empty) topic
        await(Duration.ofSeconds(60), HealthAndMetricsTest::metrics, m -> gauge(m, series) == 0);
        LagProbeHandler.HOLD = true;
        try {
            for (int i = 0; i < 3; i++) {
                writeEvent(Duration.ZERO, Topics.PIPELINE, "hold-" + i);
            }
            String held = await(Duration.ofSeconds(60), HealthAndMetricsTest::metrics, m -> gauge(m, series) == 3);
            assertThat(held).contains("shoal_consumer_lag{consumer=\"ops-probe\",group=\"shoal.ops-probe\",topic=\"shoal.issue\"}");
        } finally {
            LagProbeHandler.HOLD = false;
        }
        await(Duration.ofSeconds(60), HealthAndMetricsTest::metrics, m -> gauge(m, series) == 0);
    }

    @Test
    void readinessReportsKafkaAndOutboxAndTurnsDownDuringABrokerOutage() {
        JsonPath healthy = awaitResponse(Duration.ofSeconds(30), r -> r.statusCode() == 200).jsonPath();
        assertThat(check(healthy, "kafka").get("status")).isEqualTo("UP");
        assertThat(data(healthy, "kafka").get("brokers")).isEqualTo(1);
        assertThat(check(healthy, "outbox").get("status")).isEqualTo("UP");

        KafkaBroker broker = KafkaBroker.shared();
        broker.stop();
        UUID aged;
        try {
            aged = writeEvent(Duration.ofMinutes(10));
            Response down = awaitResponse(Duration.ofSeconds(30), r -> r.statusCode() == 503
                    && "DOWN".equals(check(r.jsonPath(), "kafka").get("status"))
                    && "DOWN".equals(check(r.jsonPath(), "outbox").get("status")));
            JsonPath body = down.jsonPath();
            assertThat(body.getString("status")).isEqualTo("DOWN");
            assertThat(data(body, "kafka").get("error").toString()).contains("no answer within");
            assertThat(((Number) data(body, "outbox").get("backlog")).longValue()).isGreaterThanOrEqualTo(1);
            assertThat(((Number) data(body, "outbox").get("oldest_age_seconds")).longValue()).isGreaterThanOrEqualTo(600);
            assertThat(((Number) data(body, "outbox").get("max_age_seconds")).longValue()).isEqualTo(300);
            String metrics = await(Duration.ofSeconds(15), HealthAndMetricsTest::metrics, m -> gauge(m, "shoal_outbox_oldest_age_seconds") >= 600);
            assertThat(gauge(metrics, "shoal_outbox_backlog")).isGreaterThanOrEqualTo(1);
        } finally {
            broker.start();
        }
        Response up = awaitResponse(Duration.ofSeconds(60), r -> r.statusCode() == 200);
        assertThat(check(up.jsonPath(), "outbox").get("status")).isEqualTo("UP");
        // Other tests may have fresh rows in flight; what matters is that the aged one went out.
        assertThat(pool.preparedQuery("SELECT sent_at IS NOT NULL FROM outbox_event WHERE event_id = $1")
                .execute(Tuple.of(aged)).await().atMost(Duration.ofSeconds(5)).iterator().next().getBoolean(0)).isTrue();
    }

    /** An event on shoal.issue (where the probe consumer listens), created {@code age} ago. */
    private UUID writeEvent(Duration age) {
        return writeEvent(age, Topics.ISSUE, UUID.randomUUID().toString());
    }

    private UUID writeEvent(Duration age, String topic, String marker) {
        return pool.withTransaction(tx -> {
            RepoChanged data = new RepoChanged(1, 1, "org", marker, "", false, "main");
            return outbox.append(tx, EventTypes.REPO_CREATED, new EventEnvelope.Actor(1L, "chris"),
                            new EventEnvelope.RepoRef(1L, "org", marker, false), data, 1)
                    .chain(event -> tx.preparedQuery("UPDATE outbox_event SET created_at = now() - make_interval(secs => $2), "
                                    + "topic = $3 WHERE event_id = $1")
                            .execute(Tuple.of(event.id(), (double) age.toSeconds(), topic))
                            .replaceWith(event.id()));
        }).await().atMost(Duration.ofSeconds(10));
    }

    private static Response ready() {
        return given().when().get("/q/health/ready").andReturn();
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(JsonPath body, String name) {
        List<Map<String, Object>> checks = body.getList("checks");
        return checks.stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check named " + name + " in " + body.prettify()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(JsonPath body, String name) {
        return (Map<String, Object>) check(body, name).get("data");
    }

    private static long appliedByProbe(String metrics) {
        Matcher m = Pattern.compile("shoal_consumer_events_applied_total\\{[^}]*consumer=\"ops-probe\"[^}]*} ([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private static double gauge(String metrics, String name) {
        String series = name.contains("{") ? Pattern.quote(name) : name + "(?:\\{[^}]*})?";
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.E+-]+|NaN)$").matcher(metrics);
        return m.find() && !"NaN".equals(m.group(1)) ? Double.parseDouble(m.group(1)) : -1;
    }

    private static Response awaitResponse(Duration timeout, Predicate<Response> done) {
        return Waits.until(timeout, HealthAndMetricsTest::ready, done, "readiness in the expected state");
    }

    private static String await(Duration timeout, java.util.function.Supplier<String> source, Predicate<String> done) {
        return Waits.until(timeout, source, done, "condition");
    }
}
