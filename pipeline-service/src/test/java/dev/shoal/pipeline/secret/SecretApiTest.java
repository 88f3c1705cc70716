package dev.shoal.pipeline.secret;

import static dev.shoal.pipeline.support.Fixtures.asUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class SecretApiTest {

    @Inject
    Fixtures fixtures;

    @Test
    void repoSecretsLifecycleNeverShowsValues() {
        Repo repo = fixtures.repo("vault", "app");
        String base = "/api/v1/repos/vault/app/secrets";
        String created = asUser().contentType(ContentType.JSON).body(Map.of("name", "api_key", "value", "v4lue-one"))
                .post(base).then().statusCode(201)
                .body("data.name", equalTo("api_key"))
                .body("data.events", equalTo(List.of("push", "tag", "cron", "manual")))
                .extract().asString();
        assertThat(created).doesNotContain("v4lue-one").doesNotContain("\"value\"");
        asUser().contentType(ContentType.JSON).body(Map.of("name", "api_key", "value", "again")).post(base)
                .then().statusCode(409).body("error.code", equalTo("conflict"));
        asUser().contentType(ContentType.JSON).body(Map.of("name", "../x", "value", "v")).post(base)
                .then().statusCode(400).body("error.message", containsString("name must be"));
        asUser().contentType(ContentType.JSON).body(Map.of("name", "ok", "value", "v", "events", List.of("deploy")))
                .post(base).then().statusCode(400).body("error.message", containsString("events must be among"));
        asUser().contentType(ContentType.JSON).body(Map.of("name", "ok")).post(base)
                .then().statusCode(400).body("error.message", containsString("value is required"));
        asUser().contentType(ContentType.JSON).body("{\"name\": \"ok\", \"value\": \"v\", \"colour\": 1}").post(base)
                .then().statusCode(400).body("error.message", containsString("colour"));

        asUser().contentType(ContentType.JSON).body(Map.of("value", "v4lue-two", "events", List.of("pull_request")))
                .patch(base + "/api_key").then().statusCode(200).body("data.events", equalTo(List.of("pull_request")));
        asUser().contentType(ContentType.JSON).body(Map.of("value", "x")).patch(base + "/missing").then().statusCode(404);
        String listed = asUser().get(base).then().statusCode(200).body("data", hasSize(1)).extract().asString();
        assertThat(listed).doesNotContain("v4lue");

        // At rest the value is encrypted: neither the plaintext nor anything like it is stored.
        long plain = fixtures.pool().preparedQuery("SELECT count(*) FROM secret WHERE position($1::bytea in ciphertext) > 0")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer("v4lue")))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertThat(plain).isZero();

        asUser().delete(base + "/api_key").then().statusCode(204);
        asUser().delete(base + "/api_key").then().statusCode(404).body("error.code", equalTo("not_found"));
        assertThat(repo).isNotNull();
    }

    @Test
    void orgSecretsUseTheOrgOfTheRoute() {
        String base = "/api/v1/orgs/vault/secrets";
        asUser().contentType(ContentType.JSON).body(Map.of("name", "org_wide", "value", "org-v4lue", "events", List.of("push")))
                .post(base).then().statusCode(201).body("data.name", equalTo("org_wide"));
        asUser().get(base).then().statusCode(200).body("data.name", equalTo(List.of("org_wide")));
        String noOrg = InternalKeys.shared().userToken(5, "chris", List.of("write"), null, null, "owner");
        io.restassured.RestAssured.given().auth().oauth2(noOrg).get(base).then().statusCode(404);
        asUser().delete(base + "/org_wide").then().statusCode(204);
    }
}
