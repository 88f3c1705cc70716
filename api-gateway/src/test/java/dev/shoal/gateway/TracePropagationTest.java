package dev.shoal.gateway;

import static dev.shoal.gateway.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.outbox.Outbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With tracing on (this module's tests turn the SDK on), a forwarded request reaches the service
 * with a W3C {@code traceparent}: a new trace for a client that sent none, the client's own trace
 * (under the gateway's span) for one that did. And the request id the gateway answers is the one
 * the service got.
 */
@QuarkusTest
@GatewayTestResources
class TracePropagationTest {

    private static final String TRACEPARENT = "00-([0-9a-f]{32})-([0-9a-f]{16})-01";
    private static String org;
    private static String ownerToken;

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @BeforeEach
    void setUp() {
        if (org != null) {
            return;
        }
        RepoFixture.OwnedSite site = RepoFixture.ownedSite(pool, outbox, "tina", "trace");
        org = site.org();
        ownerToken = site.ownerToken();
    }

    @Test
    void aRequestWithoutTraceStartsOneThatTheServiceReceives() {
        Response answer = as(ownerToken).get("/api/v1/repos/" + org + "/site/log");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.jsonPath().getString("echo.traceparent")).matches(TRACEPARENT);
        assertThat(answer.jsonPath().getString("echo.request_id")).isEqualTo(answer.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void aClientsTraceContinuesThroughTheGatewayToTheService() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String clientSpan = "00f067aa0ba902b7";
        Response answer = as(ownerToken).header("traceparent", "00-" + traceId + "-" + clientSpan + "-01")
                .get("/api/v1/repos/" + org + "/site/log");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        String forwarded = answer.jsonPath().getString("echo.traceparent");
        assertThat(forwarded).matches(TRACEPARENT);
        assertThat(forwarded.substring(3, 35)).as("trace id").isEqualTo(traceId);
        assertThat(forwarded.substring(36, 52)).as("parent span: the gateway's, not the client's").isNotEqualTo(clientSpan);
    }
}
