package dev.shoal.platform.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

/**
 * What every service answers the same: ready against its real database, and its API closed to calls
 * the gateway did not forward. A service's {@code ServiceHealthTest} extends this with its own
 * {@code @QuarkusTest} and {@code @QuarkusTestResource(ShoalTestResources, database = <service>_test)}.
 */
public abstract class ServiceHealthChecks {

    @Test
    void readyAgainstRealDatabase() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void apiRefusesCallsNotForwardedByGateway() {
        given().when().get("/api/v1/anything").then().statusCode(401).body("error.code", equalTo("unauthorized"));
    }
}
