package dev.shoal.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@GatewayTestResources
@TestProfile(RateLimitTest.Tight.class)
class RateLimitTest {

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A refill every 100 s: on a loaded machine the test's few requests can take tens of seconds,
            // and a token refilled midway would let the request that must be refused through.
            return Map.of("shoal.gateway.rate-limit.enabled", "true",
                    "shoal.gateway.rate-limit.anonymous-burst", "5",
                    "shoal.gateway.rate-limit.anonymous-per-second", "0.01",
                    "shoal.gateway.rate-limit.token-burst", "1000");
        }
    }

    /** Refused credentials count against the address too, so token guessing is limited like anonymous calls. */
    @Test
    void anonymousCallersAndRefusedCredentialsAreLimitedPerAddressWithRetryAfter() {
        String guess = "Bearer shoal_pat_" + "G".repeat(40);
        for (int i = 0; i < 3; i++) {
            given().get("/api/v1/orgs/none-such").then().statusCode(404);
        }
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", guess).get("/api/v1/user").then().statusCode(401);
        }
        given().header("Authorization", guess).get("/api/v1/user").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error.code", equalTo("rate_limited"));
        given().get("/api/v1/orgs/none-such").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error.code", equalTo("rate_limited"));
        given().header("Authorization", "Bearer " + Api.ADMIN_TOKEN).get("/api/v1/user").then().statusCode(200);
    }

    /**
     * Agent routes used to be limited by the unverified agent secret: each invented secret had a fresh
     * bucket and the 401 from pipeline-service counted nowhere. Now the 401s count against the address
     * (sent here from 127.0.0.2, so the address is this test's own), and once it is exhausted no secret
     * gets through, invented or not, nor any anonymous request.
     */
    @Test
    void inventedAgentSecretsAreLimitedByTheirAddress() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(send("127.0.0.2", "POST /api/v1/ci/poll", "Bearer invented-" + i)).startsWith("HTTP/1.1 401");
        }
        String limited = send("127.0.0.2", "POST /api/v1/ci/poll", "Bearer invented-5");
        assertThat(limited).startsWith("HTTP/1.1 429").contains("rate_limited").containsIgnoringCase("Retry-After");
        assertThat(send("127.0.0.2", "GET /api/v1/orgs/none-such", null)).startsWith("HTTP/1.1 429");
        // another address, with an agent token pipeline-service accepts, is forwarded and counts nothing
        for (int i = 0; i < 8; i++) {
            String answer = send("127.0.0.3", "POST /api/v1/ci/poll", "Bearer agent-secret-real");
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"agent_token\":\"agent-secret-real\"");
        }
    }

    /** HTTP/1.1 by hand from a chosen loopback address (the whole of 127/8 is this machine). */
    private static String send(String from, String requestLine, String authorization) throws Exception {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(from, 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", io.restassured.RestAssured.port));
            socket.setSoTimeout(15_000);
            String request = requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "Content-Length: 2\r\n\r\n{}";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
