package dev.shoal.gateway;

import static io.restassured.RestAssured.given;
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
}
