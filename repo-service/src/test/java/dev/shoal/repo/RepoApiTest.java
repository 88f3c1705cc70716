package dev.shoal.repo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.matchesPattern;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.service.RepoNames;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class RepoApiTest {

    @Inject
    Pool pool;
    @Inject
    GitStore store;

    @Test
    void createGetListUpdateDelete() {
        String org = Fixtures.uniqueOrg("crud");
        String owner = Fixtures.owner(20);
        long id = given().auth().oauth2(owner).contentType("application/json")
                .body(Map.of("name", "My-Project.v2", "description", "A cool project", "is_private", false))
                .post("/api/v1/orgs/" + org + "/repos")
                .then().statusCode(201)
                .body("data.name", equalTo("My-Project.v2"))
                .body("data.org", equalTo(org))
                .body("data.description", equalTo("A cool project"))
                .body("data.is_private", equalTo(false))
                .body("data.default_branch", equalTo("main"))
                .body("data.clone_url", equalTo("http://shoal.test/" + org + "/My-Project.v2.git"))
                .body("data.created_at", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"))
                .extract().jsonPath().getLong("data.id");
        assertThat(Files.isDirectory(store.dir(id))).isTrue();
        given().auth().oauth2(owner).contentType("application/json")
                .body(Map.of("name", "secret", "is_private", true, "default_branch", "trunk"))
                .post("/api/v1/orgs/" + org + "/repos").then().statusCode(201).body("data.default_branch", equalTo("trunk"));

        given().auth().oauth2(Fixtures.outsider(20)).get("/api/v1/orgs/" + org + "/repos")
                .then().statusCode(200).body("data.name", equalTo(List.of("My-Project.v2")))
                .body("pagination.total", equalTo(1)).body("pagination.per_page", equalTo(30));
        given().auth().oauth2(Fixtures.member(20)).get("/api/v1/orgs/" + org + "/repos?per_page=1&page=2")
                .then().statusCode(200).body("data.name", equalTo(List.of("secret")))
                .body("pagination.total", equalTo(2)).body("pagination.page", equalTo(2));
        // past the last page no row carries the total: it is counted apart, with the same visibility
        given().auth().oauth2(Fixtures.member(20)).get("/api/v1/orgs/" + org + "/repos?per_page=1&page=3")
                .then().statusCode(200).body("data", equalTo(List.of())).body("pagination.total", equalTo(2));
        given().auth().oauth2(Fixtures.outsider(20)).get("/api/v1/orgs/" + org + "/repos?per_page=1&page=2")
                .then().statusCode(200).body("data", equalTo(List.of())).body("pagination.total", equalTo(1));
        given().auth().oauth2(Fixtures.outsider(20)).get("/api/v1/repos/" + org + "/secret")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        given().auth().oauth2(Fixtures.member(20)).get("/api/v1/repos/" + org + "/SECRET")
                .then().statusCode(200).body("data.is_private", equalTo(true));
        given().auth().oauth2(owner).get("/api/v1/orgs/" + org + "/repos?per_page=101")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"));

        given().auth().oauth2(owner).contentType("application/json").body(Map.of("description", "Updated", "is_private", true))
                .patch("/api/v1/repos/" + org + "/my-project.v2")
                .then().statusCode(200).body("data.description", equalTo("Updated")).body("data.is_private", equalTo(true))
                .body("data.name", equalTo("My-Project.v2"));

        given().auth().oauth2(owner).delete("/api/v1/repos/" + org + "/My-Project.v2").then().statusCode(204);
        given().auth().oauth2(owner).get("/api/v1/repos/" + org + "/My-Project.v2").then().statusCode(404);
        assertThat(Files.exists(store.dir(id))).isFalse();
        assertThat(Outbox.events(pool, id, "repo.created")).singleElement()
                .satisfies(e -> assertThat(e.getJsonObject("data").getString("name")).isEqualTo("My-Project.v2"));
        assertThat(Outbox.events(pool, id, "repo.updated")).singleElement()
                .satisfies(e -> assertThat(e.getJsonObject("repo").getBoolean("is_private")).isTrue());
        assertThat(Outbox.events(pool, id, "repo.deleted")).singleElement()
                .satisfies(e -> assertThat(e.getJsonObject("actor").getString("login")).isEqualTo("ada"));
    }

    @Test
    void refusesBadNamesDuplicatesAndBadBodies() {
        String org = Fixtures.uniqueOrg("bad");
        String owner = Fixtures.owner(21);
        for (String name : List.of("", ".", "..", "app.git", "APP.GIT", "has space", "slash/name", "x".repeat(101), "ünï")) {
            given().auth().oauth2(owner).contentType("application/json").body(Map.of("name", name))
                    .post("/api/v1/orgs/" + org + "/repos")
                    .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                    .body("error.message", equalTo(RepoNames.NAME_RULE));
        }
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("description", "no name"))
                .post("/api/v1/orgs/" + org + "/repos")
                .then().statusCode(400).body("error.message", containsString("name is required"));
        given().auth().oauth2(owner).contentType("application/json").body("{\"name\": \"x\",")
                .post("/api/v1/orgs/" + org + "/repos")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"));
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("name", "x", "colour", "red"))
                .post("/api/v1/orgs/" + org + "/repos")
                .then().statusCode(400).body("error.message", containsString("colour"));
        given().auth().oauth2(owner).contentType("application/json").body("{\"name\": 12345}")
                .post("/api/v1/orgs/" + org + "/repos")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.message", startsWith("name has the wrong type")).body("error.message", endsWith("expected a string"));
        given().auth().oauth2(owner).get("/api/v1/repos/" + org + "/12345").then().statusCode(404);
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("name", "x", "is_private", "true"))
                .post("/api/v1/orgs/" + org + "/repos")
                .then().statusCode(400).body("error.message", startsWith("is_private has the wrong type")).body("error.message", endsWith("expected true or false"));
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("name", "x", "is_private", "maybe"))
                .post("/api/v1/orgs/" + org + "/repos")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"));
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("name", "x", "default_branch", "bad..branch"))
                .post("/api/v1/orgs/" + org + "/repos")
                .then().statusCode(400).body("error.message", containsString("default_branch"));

        Fixtures.createRepo(owner, org, "Tool", false);
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("name", "tool"))
                .post("/api/v1/orgs/" + org + "/repos")
                .then().statusCode(409).body("error.code", equalTo("conflict"));
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("is_private", "no"))
                .patch("/api/v1/repos/" + org + "/tool")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"));
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("description", "x"))
                .patch("/api/v1/repos/" + org + "/missing")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        given().auth().oauth2(owner).delete("/api/v1/repos/" + org + "/missing")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void internalLookups() {
        String org = Fixtures.uniqueOrg("int");
        long id = Fixtures.createRepo(Fixtures.owner(22), org, "svc", true);
        given().auth().oauth2(Fixtures.owner(22)).get("/internal/repos/" + id)
                .then().statusCode(200).body("data.org_id", equalTo(22)).body("data.name", equalTo("svc"))
                .body("data.clone_url", equalTo("http://shoal.test/" + org + "/svc.git"));
        given().auth().oauth2(Fixtures.owner(22)).get("/internal/repos/by-name/" + org + "/svc")
                .then().statusCode(200).body("data.id", equalTo((int) id));
        given().auth().oauth2(Fixtures.owner(22)).get("/internal/repos/999999999")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        given().auth().oauth2(Fixtures.owner(22)).get("/internal/repos/abc")
                .then().statusCode(404);
        given().get("/internal/repos/" + id).then().statusCode(401);
    }
}
