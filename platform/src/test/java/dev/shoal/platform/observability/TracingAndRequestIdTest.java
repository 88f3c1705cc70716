package dev.shoal.platform.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * With tracing on (this module's tests set quarkus.otel.sdk.disabled=false): a request continues
 * the caller's W3C trace, its log context (MDC) carries the request id and the trace id on the event
 * loop and on worker threads, and an event it writes carries the trace through the outbox row and
 * the Kafka record headers into the consumer, which runs inside the same trace.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "platform_test"))
class TracingAndRequestIdTest {

    @Inject
    Pool pool;

    private final String token = InternalKeys.shared().userToken(7, "chris", List.of("read", "write"), null, null, "member");

    @Test
    void theMdcCarriesTheRequestIdAndTraceIdOnTheEventLoopAndOnWorkers() {
        String traceId = randomHex(16);
        for (String path : List.of("/trace-probe/context", "/trace-probe/context-blocking")) {
            Response answer = given().auth().oauth2(token)
                    .header("X-Request-Id", "req-" + path.length())
                    .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01")
                    .when().get(path).andReturn();
            assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
            assertThat(answer.jsonPath().getString("request_id")).isEqualTo("req-" + path.length());
            assertThat(answer.header("X-Request-Id")).isEqualTo("req-" + path.length());
            assertThat(answer.jsonPath().getString("trace_id")).isEqualTo(traceId);
            assertThat(answer.jsonPath().getString("mdc_trace_id")).isEqualTo(traceId);
        }
        assertThat(given().auth().oauth2(token).when().get("/trace-probe/context-blocking").jsonPath().getString("thread"))
                .as("a plain return type runs on a worker").contains("executor");
    }

    @Test
    void aRequestWithoutAUsableIdGetsAFreshOneInTheMdcAndTheAnswer() {
        for (String sent : new String[] {null, "bad id with spaces", "x".repeat(65)}) {
            var request = given().auth().oauth2(token);
            if (sent != null) {
                request = request.header("X-Request-Id", sent);
            }
            Response answer = request.when().get("/trace-probe/context-blocking").andReturn();
            String id = answer.jsonPath().getString("request_id");
            assertThat(id).matches("[0-9a-f-]{36}").isEqualTo(answer.header("X-Request-Id"));
        }
    }

    @Test
    void anEventWrittenByATracedRequestIsConsumedInTheSameTrace() {
        String traceId = randomHex(16);
        String marker = "traced-" + UUID.randomUUID();
        Response answer = given().auth().oauth2(token)
                .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01")
                .when().post("/trace-probe/events/" + marker).andReturn();
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.jsonPath().getString("trace_id")).isEqualTo(traceId);
        String eventId = answer.jsonPath().getString("event_id");

        String stored = pool.preparedQuery("SELECT trace_headers FROM outbox_event WHERE event_id = $1")
                .execute(Tuple.of(UUID.fromString(eventId))).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getString(0);
        assertThat(stored).contains("\"traceparent\":\"00-" + traceId + "-");

        Waits.until(Duration.ofSeconds(60), () -> TraceProbeHandler.TRACE_BY_EVENT.containsKey(eventId),
                () -> "the consumer never handled event " + eventId);
        assertThat(TraceProbeHandler.TRACE_BY_EVENT.get(eventId))
                .as("the trace the consumer ran in").isEqualTo(traceId);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros, which W3C calls invalid
        return HexFormat.of().formatHex(b);
    }
}
