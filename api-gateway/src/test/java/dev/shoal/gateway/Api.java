package dev.shoal.gateway;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test helpers that act through the public API, as a script would. */
final class Api {

    static final String ADMIN_TOKEN = "shoal_pat_AdminAdminAdminAdminAdminAdminAdminAdmin";

    private Api() {
    }

    static RequestSpecification as(String token) {
        RequestSpecification spec = given().contentType(ContentType.JSON);
        return token == null ? spec : spec.header("Authorization", "Bearer " + token);
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    static void createUser(String username) {
        as(ADMIN_TOKEN).body(Map.of("username", username, "email", username + "@example.com", "display_name", username))
                .post("/api/v1/admin/users").then().statusCode(201);
    }

    static String tokenFor(String username, String... scopes) {
        return as(ADMIN_TOKEN).body(Map.of("name", "test", "scopes", List.of(scopes)))
                .post("/api/v1/admin/users/" + username + "/tokens")
                .then().statusCode(201).extract().path("data.token");
    }

    static void createOrg(String ownerToken, String org) {
        as(ownerToken).body(Map.of("name", org, "description", "test org")).post("/api/v1/orgs").then().statusCode(201);
    }

    static void addMember(String ownerToken, String org, String username, String role) {
        as(ownerToken).body(Map.of("role", role)).put("/api/v1/orgs/" + org + "/members/" + username).then().statusCode(200);
    }
}
