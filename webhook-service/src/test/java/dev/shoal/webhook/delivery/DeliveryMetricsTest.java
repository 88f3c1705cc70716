package dev.shoal.webhook.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import dev.shoal.webhook.support.Api;
import dev.shoal.webhook.support.Receiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every recorded attempt counts once under its outcome in /q/metrics (a receiver that fails once
 * then answers: retrying + success; one that always fails: retrying until the budget of 4 attempts
 * is spent, then failure), and the pending gauge equals the database's count once sampled.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "webhook_test"))
class DeliveryMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Test
    void attemptsAreCountedByOutcomeAndPendingDeliveriesAreSampled() {
        try (Receiver receiver = new Receiver()) {
            double success = counter("success");
            double retrying = counter("retrying");
            double failure = counter("failure");

            receiver.script("/flaky", 500);
            new Api().createHook(receiver.url("/flaky"), "s3cret-flaky", "[\"push\"]");
            receiver.await("/flaky", 2, WAIT);
            receiver.alwaysAnswer("/down", 503);
            new Api().createHook(receiver.url("/down"), "s3cret-down", "[\"push\"]");
            receiver.await("/down", 4, WAIT);

            Waits.until(WAIT, () -> counter("success") >= success + 1 && counter("failure") >= failure + 1
                            && counter("retrying") >= retrying + 4,
                    () -> "counters now success=" + counter("success") + " retrying=" + counter("retrying")
                            + " failure=" + counter("failure") + " (before " + success + "/" + retrying + "/" + failure + ")");

            Waits.until(WAIT, () -> gauge(metrics(), "shoal_webhook_deliveries_pending") == pendingInDatabase(),
                    () -> "pending gauge " + gauge(metrics(), "shoal_webhook_deliveries_pending") + " vs database "
                            + pendingInDatabase());
            assertThat(metrics()).contains("# TYPE shoal_webhook_deliveries_pending gauge",
                    "# TYPE shoal_webhook_deliveries counter", "shoal_webhook_deliveries_total{outcome=\"failure\"}");
        }
    }

    private long pendingInDatabase() {
        return pool.query("SELECT count(*) FROM delivery WHERE status IN ('pending', 'retrying')").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    private static double counter(String outcome) {
        return gauge(metrics(), "shoal_webhook_deliveries_total\\{outcome=\"" + outcome + "\"}");
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double gauge(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + (series.endsWith("}") ? "" : "(?:\\{[^}]*})?") + " ([0-9.E+-]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
