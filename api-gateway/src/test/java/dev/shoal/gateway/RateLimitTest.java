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
            return Map.of("shoal.gateway.rate-limit.enabled", "true",
                    "shoal.gateway.rate-limit.anonymous-burst", "5",
                    "shoal.gateway.rate-limit.anonymous-per-second", "0.2",
                    "shoal.gateway.rate-limit.token-burst", "1000");
        }
    }

    @Test
    void anonymousCallersAreLimitedPerAddressWithRetryAfter() {
        for (int i = 0; i < 5; i++) {
            given().get("/api/v1/orgs/none-such").then().statusCode(404);
        }
        given().get("/api/v1/orgs/none-such").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error.code", equalTo("rate_limited"));
        given().header("Authorization", "Bearer " + Api.ADMIN_TOKEN).get("/api/v1/user").then().statusCode(200);
    }
}
