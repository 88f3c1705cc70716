package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Item 7 of the trust-boundary issue: a minted token never outlives or outranks the token that
 * minted it (native and Drone's {@code POST /api/user/token}), and a token revokes only tokens whose
 * scopes it holds itself.
 */
@QuarkusTest
@GatewayTestResources
class TokenRulesTest {

    private static JsonPath issue(String user, Instant expiresAt, String... scopes) {
        Map<String, Object> body = expiresAt == null ? Map.of("name", "minter", "scopes", List.of(scopes))
                : Map.of("name", "minter", "scopes", List.of(scopes), "expires_at", expiresAt.toString());
        return as(ADMIN_TOKEN).body(body).post("/api/v1/admin/users/" + user + "/tokens").then().statusCode(201).extract().jsonPath();
    }

    @Test
    void aTokenThatExpiresMintsNoTokenThatOutlivesIt() {
        String user = Api.unique("short");
        Api.createUser(user);
        Instant hour = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String shortLived = issue(user, hour, "read", "write").getString("data.token");

        // omitted expiry: the minter's
        String minted = as(shortLived).body(Map.of("name", "child", "scopes", List.of("read")))
                .post("/api/v1/user/tokens").then().statusCode(201).extract().path("data.expires_at");
        assertThat(Instant.parse(minted)).isEqualTo(hour);
        // a later one: refused, saying why
        as(shortLived).body(Map.of("name", "forever", "scopes", List.of("read"), "expires_at", hour.plus(365, ChronoUnit.DAYS).toString()))
                .post("/api/v1/user/tokens").then().statusCode(422)
                .body("error.code", equalTo("validation_failed"))
                .body("error.message", containsString("cannot outlive"));
        // an earlier one: fine
        String earlier = hour.minus(30, ChronoUnit.MINUTES).toString();
        String kept = as(shortLived).body(Map.of("name", "half", "scopes", List.of("read"), "expires_at", earlier))
                .post("/api/v1/user/tokens").then().statusCode(201).extract().path("data.expires_at");
        assertThat(Instant.parse(kept)).isEqualTo(Instant.parse(earlier));

        // Drone's POST /api/user/token issues one with the minter's expiry, never one without
        String drone = as(shortLived).post("/api/user/token").then().statusCode(200).extract().path("token");
        JsonPath tokens = as(drone).get("/api/v1/user/tokens?per_page=100").then().statusCode(200).extract().jsonPath();
        String droneExpiry = tokens.getString("data.find { it.name == 'ci-client' }.expires_at");
        assertThat(droneExpiry).as("the ci-client token's expiry").isNotNull();
        assertThat(Instant.parse(droneExpiry)).isEqualTo(hour);
    }

    @Test
    void aTokenWithoutExpiryMayMintAnyAndNoTokenOutranksItsMinter() {
        String user = Api.unique("long");
        Api.createUser(user);
        String forever = issue(user, null, "write").getString("data.token");
        String year = Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        as(forever).body(Map.of("name", "a-year", "scopes", List.of("read", "write"), "expires_at", year))
                .post("/api/v1/user/tokens").then().statusCode(201).body("data.expires_at", equalTo(year));
        as(forever).body(Map.of("name", "no-end", "scopes", List.of("read")))
                .post("/api/v1/user/tokens").then().statusCode(201).body("data.expires_at", equalTo(null));
        as(forever).body(Map.of("name", "admin", "scopes", List.of("admin")))
                .post("/api/v1/user/tokens").then().statusCode(403)
                .body("error.message", containsString("'admin'"));
    }

    @Test
    void aLeakedReadTokenCannotRevokeItsOwnersAdminTokens() {
        String user = Api.unique("owner");
        Api.createUser(user);
        JsonPath admin = issue(user, null, "admin");
        String adminToken = admin.getString("data.token");
        long adminId = admin.getLong("data.id");
        JsonPath read = issue(user, null, "read");
        String readToken = read.getString("data.token");

        as(readToken).delete("/api/v1/user/tokens/" + adminId).then().statusCode(403)
                .body("error.code", equalTo("forbidden"))
                .body("error.message", containsString("'admin' scope, which this token lacks"));
        as(adminToken).get("/api/v1/user").then().statusCode(200);

        // Drone's token endpoint replaces earlier ci-client tokens, but only those the caller could revoke
        String adminClient = as(adminToken).post("/api/user/token").then().statusCode(200).extract().path("token");
        String readClient = as(readToken).post("/api/user/token").then().statusCode(200).extract().path("token");
        as(adminClient).get("/api/v1/user").then().statusCode(200);
        as(readClient).get("/api/v1/user").then().statusCode(200);

        // a token holding the scopes revokes as before
        as(adminToken).delete("/api/v1/user/tokens/" + read.getLong("data.id")).then().statusCode(204);
        as(readToken).get("/api/v1/user").then().statusCode(401);
    }
}
