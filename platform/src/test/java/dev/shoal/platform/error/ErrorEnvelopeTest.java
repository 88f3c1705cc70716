package dev.shoal.platform.error;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "database", value = "platform_test"))
class ErrorEnvelopeTest {

    private static String token() {
        return InternalKeys.shared().userToken(7, "chris", List.of("read"), null, null, "member");
    }

    @Test
    void requestWithoutInternalTokenIs401InEnvelope() {
        given().when().get("/probe/1")
                .then().statusCode(401)
                .body("error.code", equalTo("unauthorized"));
    }

    @Test
    void forgedTokenIs401() {
        given().header("Authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")
                .when().get("/probe/1")
                .then().statusCode(401).body("error.code", equalTo("unauthorized"));
    }

    @Test
    void verifiedCallerReachesResourceAndTimestampsAreSeconds() {
        given().auth().oauth2(token()).when().get("/probe/1")
                .then().statusCode(200)
                .body("data.login", equalTo("chris"))
                .body("data.per_page", equalTo(30))
                .body("data.created_at", equalTo("2025-01-15T10:00:00Z"));
    }

    @Test
    void unknownIdIs404InEnvelope() {
        given().auth().oauth2(token()).when().get("/probe/404")
                .then().statusCode(404).body("error.code", equalTo("not_found")).body("error.message", equalTo("probe not found"));
    }

    @Test
    void wrongPathParamTypeIs404NotServerError() {
        given().auth().oauth2(token()).when().get("/probe/abc")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void outOfRangePaginationIs400() {
        given().auth().oauth2(token()).when().get("/probe/1?per_page=500")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.message", equalTo("per_page must be from 1 to 100, got 500"));
    }

    @Test
    void unexpectedFailureIs500WithTraceIdAndNoDetail() {
        given().auth().oauth2(token()).when().get("/probe/500")
                .then().statusCode(500).body("error.code", equalTo("internal"))
                .body("error.message", containsString("trace id"))
                .body(not(containsString("secret internal detail")))
                .body(not(containsString("at dev.shoal")));
    }

    @Test
    void malformedJsonIs400WithLocation() {
        given().auth().oauth2(token()).contentType("application/json").body("{\"name\": ")
                .when().post("/probe")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.message", containsString("malformed JSON"));
    }

    @Test
    void wrongTypeNamesTheField() {
        given().auth().oauth2(token()).contentType("application/json").body("{\"name\": \"a\", \"count\": \"many\"}")
                .when().post("/probe")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.message", equalTo("count has the wrong type: expected a number"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\": 12345}|name|a string",
            "{\"name\": true}|name|a string",
            "{\"name\": 1.5}|name|a string",
            "{\"name\": \"a\", \"count\": \"7\"}|count|a number",
            "{\"name\": \"a\", \"count\": 1.5}|count|a number",
            "{\"name\": \"a\", \"flag\": \"true\"}|flag|true or false",
            "{\"name\": \"a\", \"flag\": 1}|flag|true or false"})
    void scalarsOfAnotherTypeAreRefusedNotCoerced(String body, String field, String expected) {
        given().auth().oauth2(token()).contentType("application/json").body(body)
                .when().post("/probe")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.message", startsWith(field + " has the wrong type"))
                .body("error.message", endsWith("expected " + expected));
    }

    @Test
    void unknownFieldIsNamed() {
        given().auth().oauth2(token()).contentType("application/json").body("{\"name\": \"a\", \"colour\": 1}")
                .when().post("/probe")
                .then().statusCode(400).body("error.message", equalTo("unknown field 'colour'"));
    }

    @Test
    void constraintViolationNamesTheField() {
        given().auth().oauth2(token()).contentType("application/json").body("{\"name\": \"\"}")
                .when().post("/probe")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.message", containsString("name must not be blank"));
    }

    @Test
    void wrongContentTypeIs415InEnvelope() {
        given().auth().oauth2(token()).contentType("text/plain").body("name=a")
                .when().post("/probe")
                .then().statusCode(415).body("error.code", equalTo("unsupported_media_type"));
    }

    @Test
    void arrayInsteadOfObjectIs400() {
        given().auth().oauth2(token()).contentType("application/json").body("[1,2]")
                .when().post("/probe")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"));
    }
}
