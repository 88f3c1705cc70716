package dev.shoal.webhook.hook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.webhook.support.Api;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hooks API: its answers, its refusals, and that the secret never comes back. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "webhook_test"))
class HookApiTest {

    // a name that never resolves (RFC 2606): the ping fails without any traffic leaving the machine
    private static final String PUBLIC_URL = "http://hooks.example.invalid/hook";

    @Inject
    Pool pool;

    @Test
    void createUpdateListDelete() {
        Api api = new Api();
        long id = api.createHook(PUBLIC_URL, "first-secret", "[\"push\", \"pipeline\", \"release\", \"tag\", \"push\"]");
        assertThat(api.get("/" + id).getList("data.events")).containsExactly("push", "pipeline", "release", "tag");

        String updated = given().auth().oauth2(api.token).contentType("application/json")
                .body("{\"url\": \"https://hooks.example.com/new\", \"events\": [\"pull_request\"], \"is_active\": false, "
                        + "\"secret\": \"second-secret\"}")
                .when().patch(api.base() + "/" + id)
                .then().statusCode(200)
                .body("data.url", equalTo("https://hooks.example.com/new"))
                .body("data.events", equalTo(List.of("pull_request")))
                .body("data.is_active", equalTo(false))
                .extract().asString();
        assertThat(updated).doesNotContain("second-secret").doesNotContain("first-secret");

        String stored = pool.preparedQuery("SELECT secret FROM hook WHERE id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getString(0);
        assertThat(stored).startsWith("v1:").doesNotContain("second-secret");

        given().auth().oauth2(api.token).contentType("application/json").body("{}")
                .when().patch(api.base() + "/" + id)
                .then().statusCode(200).body("data.url", equalTo("https://hooks.example.com/new"));

        given().auth().oauth2(api.token).when().get(api.base())
                .then().statusCode(200).body("data.size()", equalTo(1)).body("data[0].id", equalTo((int) id));
        given().auth().oauth2(api.token).when().delete(api.base() + "/" + id).then().statusCode(204);
        given().auth().oauth2(api.token).when().get(api.base() + "/" + id).then().statusCode(404)
                .body("error.code", equalTo("not_found"));
        given().auth().oauth2(api.token).when().get(api.base()).then().statusCode(200).body("data.size()", equalTo(0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"url\": \"http://x.example\", \"secret\": \"s\", \"events\": [\"push\", \"deploy\"]}|unknown event 'deploy'; allowed values are push, issue, pull_request, pipeline, release, tag",
            "{\"url\": \"http://x.example\", \"secret\": \"s\", \"events\": []}|at least one of",
            "{\"url\": \"http://x.example\", \"secret\": \"s\", \"events\": \"push\"}|events",
            "{\"url\": \"ftp://x.example/h\", \"secret\": \"s\"}|absolute http:// or https:// URL",
            "{\"url\": \"/relative\", \"secret\": \"s\"}|absolute http:// or https:// URL",
            "{\"url\": \"http://user:pw@x.example/\", \"secret\": \"s\"}|credentials",
            "{\"url\": \"http://169.254.169.254/latest/meta-data\", \"secret\": \"s\"}|cloud metadata",
            "{\"url\": \"http://10.0.0.8/\", \"secret\": \"s\"}|private range 10.0.0.0/8",
            "{\"url\": \"http://[fd00::1]/\", \"secret\": \"s\"}|unique local",
            "{\"url\": \"http://0177.0.0.1/\", \"secret\": \"s\"}|shorthand numeric form",
            "{\"url\": \"http://2130706433/\", \"secret\": \"s\"}|shorthand numeric form",
            "{\"url\": \"http://[64:ff9b::a9fe:a9fe]/\", \"secret\": \"s\"}|metadata",
            "{\"secret\": \"s\"}|url is required",
            "{\"url\": \"http://x.example\"}|secret is required",
            "{\"url\": \"http://x.example\", \"secret\": \"  \"}|secret is required",
            "{\"url\": \"http://x.example\", \"secret\": \"s\", \"content_type\": \"form\"}|content_type must be json",
            "{\"url\": \"http://x.example\", \"secret\": \"s\", \"colour\": \"red\"}|unknown field 'colour'",
            "{\"url\": \"http://x.example\", \"secret\": \"s\", \"is_active\": \"yes\"}|is_active",
            "{\"url\": \"http://x.example\", \"secret\": |malformed JSON",
            "[1, 2]|JSON object",
    })
    void badInputIsRefusedWithAnActionableMessage(String body, String message) {
        Api api = new Api();
        given().auth().oauth2(api.token).contentType("application/json").body(body)
                .when().post(api.base())
                .then().statusCode(400)
                .body("error.code", equalTo("validation_failed"))
                .body("error.message", containsString(message));
    }

    @Test
    void updatesAreValidatedToo() {
        Api api = new Api();
        long id = api.createHook(PUBLIC_URL, "secret", "[\"push\"]");
        given().auth().oauth2(api.token).contentType("application/json").body("{\"url\": \"http://[::ffff:10.0.0.1]/\"}")
                .when().patch(api.base() + "/" + id)
                .then().statusCode(400).body("error.message", containsString("10.0.0.0/8"));
        given().auth().oauth2(api.token).contentType("application/json").body("{\"events\": [\"wiki\"]}")
                .when().patch(api.base() + "/" + id)
                .then().statusCode(400).body("error.message", containsString("allowed values are push"));
        given().auth().oauth2(api.token).contentType("application/json").body("{\"secret\": \"\"}")
                .when().patch(api.base() + "/" + id)
                .then().statusCode(400).body("error.message", containsString("secret"));
    }

    @Test
    void unknownIdsAndPathTricksAreNotFound() {
        Api api = new Api();
        long id = api.createHook(PUBLIC_URL, "secret", "[\"push\"]");
        for (String path : List.of("/999999999", "/abc", "/-1", "/" + id + "/deliveries/999999", "/" + id + "/deliveries/x%00y",
                "/999999999/deliveries", "/..%2F..%2Fetc")) {
            given().auth().oauth2(api.token).when().get(api.base() + path)
                    .then().statusCode(404).body("error.code", equalTo("not_found"));
        }
        given().auth().oauth2(api.token).when().post(api.base() + "/" + id + "/deliveries/424242/redeliver")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        given().auth().oauth2(api.token).contentType("application/json").body("{}")
                .when().patch(api.base() + "/123456789").then().statusCode(404);
        given().auth().oauth2(api.token).when().delete(api.base() + "/123456789").then().statusCode(404);

        // another repository's token cannot reach this hook
        Api other = new Api();
        given().auth().oauth2(other.token).when().get("/api/v1/repos/" + other.org + "/" + other.name + "/webhooks/" + id)
                .then().statusCode(404);
    }

    @Test
    void onlyOwnersAndOnlyForwardedCallsGetIn() {
        Api api = new Api();
        String member = InternalKeys.shared().userToken(8, "mel", List.of("read", "write"), 1L, api.repoId, "member");
        given().auth().oauth2(member).when().get(api.base())
                .then().statusCode(403).body("error.code", equalTo("forbidden"));
        given().when().get(api.base()).then().statusCode(401).body("error.code", equalTo("unauthorized"));
    }
}
