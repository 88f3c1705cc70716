package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Web sign-in: bcrypt passwords, session tokens among the user's tokens, failed sign-ins throttled. */
@QuarkusTest
@GatewayTestResources
class SessionApiTest {

    @Inject
    Pool pool;

    private static String login(String username, String password) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }

    @Test
    void aPasswordSignsInToAnExpiringRevocableSessionListedAmongTheTokens() {
        String user = Api.unique("pia");
        Api.createUser(user);
        as(ADMIN_TOKEN).contentType(ContentType.JSON).body("{\"password\":\"short\"}")
                .put("/api/v1/admin/users/" + user + "/password").then().statusCode(400).body("error.message", containsString("at least 8"));
        as(ADMIN_TOKEN).contentType(ContentType.JSON).body("{\"password\":\"correct horse 1\"}")
                .put("/api/v1/admin/users/" + user + "/password").then().statusCode(204);

        String stored = pool.preparedQuery("SELECT p.hash FROM user_passwords p JOIN users u ON u.id = p.user_id WHERE u.username = $1")
                .execute(Tuple.of(user)).await().indefinitely().iterator().next().getString("hash");
        assertThat(stored).startsWith("$2").doesNotContain("correct horse");

        var session = given().contentType(ContentType.JSON).body(login(user, "correct horse 1"))
                .post("/api/v1/login").then().statusCode(201).body("data.expires_at", notNullValue())
                .extract().jsonPath();
        String token = session.getString("data.token");
        int id = session.getInt("data.id");
        as(token).get("/api/v1/user").then().statusCode(200).body("data.username", equalTo(user));
        as(token).get("/api/v1/user/tokens").then().statusCode(200).body("data.name", hasItem("web session"))
                .body("data.find { it.id == " + id + " }.expires_at", notNullValue());
        String kind = pool.preparedQuery("SELECT kind FROM api_tokens WHERE id = $1").execute(Tuple.of((long) id))
                .await().indefinitely().iterator().next().getString("kind");
        assertThat(kind).isEqualTo("session");

        // the user changes it: the current one is required
        as(token).contentType(ContentType.JSON).body("{\"current_password\":\"nope nope\",\"new_password\":\"battery staple 2\"}")
                .put("/api/v1/user/password").then().statusCode(400).body("error.message", containsString("current_password"));
        as(token).contentType(ContentType.JSON).body("{\"current_password\":\"correct horse 1\",\"new_password\":\"battery staple 2\"}")
                .put("/api/v1/user/password").then().statusCode(204);
        given().contentType(ContentType.JSON).body(login(user, "correct horse 1")).post("/api/v1/login").then().statusCode(401);
        given().contentType(ContentType.JSON).body(login(user, "battery staple 2")).post("/api/v1/login").then().statusCode(201);

        // signing out is revoking the session token
        as(token).delete("/api/v1/user/tokens/" + id).then().statusCode(204);
        as(token).get("/api/v1/user").then().statusCode(401);

        // the password never reaches the audit log
        long leaks = pool.query("SELECT count(*) FROM audit_log WHERE audit_log::text LIKE '%battery staple%'").execute()
                .await().indefinitely().iterator().next().getLong(0);
        assertThat(leaks).isZero();
    }

    @Test
    void failedSignInsAreThrottledPerAccount() {
        String user = Api.unique("gus");
        Api.createUser(user);
        as(ADMIN_TOKEN).contentType(ContentType.JSON).body("{\"password\":\"the right one\"}")
                .put("/api/v1/admin/users/" + user + "/password").then().statusCode(204);
        given().contentType(ContentType.JSON).body(login("nobody-" + user, "whatever1")).post("/api/v1/login")
                .then().statusCode(401).body("error.message", equalTo("wrong username or password"));
        for (int i = 0; i < 5; i++) {
            // each from another claimed address: the per-account count does not depend on it
            given().header("X-Forwarded-For", "10.0.0." + i).contentType(ContentType.JSON).body(login(user, "guess " + i + "xyz"))
                    .post("/api/v1/login").then().statusCode(401).body("error.message", equalTo("wrong username or password"));
        }
        given().contentType(ContentType.JSON).body(login(user, "the right one")).post("/api/v1/login")
                .then().statusCode(429).header("Retry-After", notNullValue()).body("error.code", equalTo("rate_limited"));
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/login").then().statusCode(400);
    }
}
