package dev.shoal.repo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.Git;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import dev.shoal.repo.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class ReleaseApiTest {

    @Inject
    Pool pool;

    @Test
    void releasesWithTagsDraftsAndAssets() {
        String org = Fixtures.uniqueOrg("rel");
        String owner = Fixtures.owner(40);
        long id = Fixtures.createRepo(owner, org, "r", false);
        String base = "/api/v1/repos/" + org + "/r/releases";

        given().auth().oauth2(owner).contentType("application/json").body(Map.of("tag_name", "v0.1"))
                .post(base).then().statusCode(400).body("error.message", containsString("no commits"));
        Git git = new Git(owner);
        Path dir = Seed.pushedMain(git, org, "r");
        String head = git.out(dir, "rev-parse", "main");

        long v1 = given().auth().oauth2(owner).contentType("application/json")
                .body(Map.of("tag_name", "v1.0.0", "name", "Version 1.0.0", "body", "Notes", "draft", false, "prerelease", false))
                .post(base).then().statusCode(201)
                .body("data.tag_name", equalTo("v1.0.0"))
                .body("data.name", equalTo("Version 1.0.0"))
                .body("data.author.username", equalTo("ada"))
                .body("data.author.id", equalTo(1))
                .body("data.published_at", notNullValue())
                .body("data.assets", equalTo(List.of()))
                .extract().jsonPath().getLong("data.id");
        git.out(dir, "fetch", "--tags", "origin");
        assertThat(git.out(dir, "rev-parse", "v1.0.0^{commit}")).isEqualTo(head);
        assertThat(Outbox.events(pool, id, "tag.created")).singleElement()
                .satisfies(e -> assertThat(e.getJsonObject("data").getString("sha")).isEqualTo(head));
        assertThat(Outbox.events(pool, id, "release.published")).singleElement()
                .satisfies(e -> assertThat(e.getJsonObject("data").getString("tag_name")).isEqualTo("v1.0.0"));
        assertThat(Outbox.events(pool, id, "repo.pushed")).extracting(e -> e.getJsonObject("data").getString("ref"))
                .contains("refs/tags/v1.0.0");

        given().auth().oauth2(owner).contentType("application/json").body(Map.of("tag_name", "v1.0.0"))
                .post(base).then().statusCode(409).body("error.code", equalTo("conflict"));
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("tag_name", "bad tag"))
                .post(base).then().statusCode(400).body("error.message", containsString("tag_name"));
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("name", "no tag"))
                .post(base).then().statusCode(400).body("error.message", containsString("tag_name is required"));

        long draft = given().auth().oauth2(owner).contentType("application/json")
                .body(Map.of("tag_name", "v2.0.0", "draft", true))
                .post(base).then().statusCode(201).body("data.published_at", nullValue())
                .body("data.name", equalTo("v2.0.0")).extract().jsonPath().getLong("data.id");
        given().auth().oauth2(Fixtures.outsider(40)).get(base)
                .then().statusCode(200).body("data.tag_name", equalTo(List.of("v1.0.0"))).body("pagination.total", equalTo(1));
        given().auth().oauth2(Fixtures.outsider(40)).get(base + "/" + draft).then().statusCode(404);
        given().auth().oauth2(Fixtures.member(40)).get(base)
                .then().statusCode(200).body("data.tag_name", equalTo(List.of("v2.0.0", "v1.0.0")));
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("draft", false, "body", "Now out"))
                .patch(base + "/" + draft).then().statusCode(200)
                .body("data.draft", equalTo(false)).body("data.body", equalTo("Now out"))
                .body("data.published_at", notNullValue()).body("data.name", equalTo("v2.0.0"));
        assertThat(Outbox.events(pool, id, "release.published")).hasSize(2);
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("draft", "yes"))
                .patch(base + "/" + draft).then().statusCode(400);
        given().auth().oauth2(owner).get(base + "/tags/v2.0.0").then().statusCode(200).body("data.id", equalTo((int) draft));
        given().auth().oauth2(owner).get(base + "/tags/v9").then().statusCode(404).body("error.code", equalTo("not_found"));

        // Assets: upload, list, download, too large, delete.
        byte[] bytes = "binary-ish content \u0000\u0001".getBytes(StandardCharsets.UTF_8);
        long asset = given().auth().oauth2(owner).multiPart("attachment", "../../tool-linux-amd64.tar.gz", bytes, "application/gzip")
                .post(base + "/" + v1 + "/assets").then().statusCode(201)
                .body("data.name", equalTo("tool-linux-amd64.tar.gz"))
                .body("data.size", equalTo(bytes.length))
                .body("data.content_type", equalTo("application/gzip"))
                .extract().jsonPath().getLong("data.id");
        given().auth().oauth2(owner).get(base + "/" + v1 + "/assets").then().statusCode(200)
                .body("data[0].id", equalTo((int) asset))
                .body("data[0].download_url", equalTo("http://shoal.test" + base + "/" + v1 + "/assets/" + asset));
        given().auth().oauth2(owner).get(base + "/" + v1).then().body("data.assets[0].name", equalTo("tool-linux-amd64.tar.gz"));
        byte[] downloaded = given().auth().oauth2(Fixtures.outsider(40)).get(base + "/" + v1 + "/assets/" + asset)
                .then().statusCode(200)
                .header("Content-Disposition", containsString("filename=\"tool-linux-amd64.tar.gz\""))
                .header("Content-Type", containsString("application/gzip"))
                .extract().asByteArray();
        assertThat(downloaded).isEqualTo(bytes);
        given().auth().oauth2(owner).multiPart("attachment", "huge.bin", new byte[1_048_577])
                .post(base + "/" + v1 + "/assets").then().statusCode(413).body("error.code", equalTo("payload_too_large"));
        given().auth().oauth2(owner).multiPart("other", "x.bin", bytes)
                .post(base + "/" + v1 + "/assets").then().statusCode(400).body("error.message", containsString("attachment"));
        given().auth().oauth2(owner).multiPart("attachment", "x.bin", bytes)
                .post(base + "/999999/assets").then().statusCode(404);

        given().auth().oauth2(owner).delete(base + "/" + v1 + "/assets/" + asset).then().statusCode(204);
        given().auth().oauth2(owner).get(base + "/" + v1 + "/assets/" + asset).then().statusCode(404);
        given().auth().oauth2(owner).multiPart("attachment", "again.txt", bytes)
                .post(base + "/" + v1 + "/assets").then().statusCode(201);
        given().auth().oauth2(owner).delete(base + "/" + v1).then().statusCode(204);
        given().auth().oauth2(owner).get(base + "/" + v1).then().statusCode(404);
        given().auth().oauth2(owner).get(base + "/abc").then().statusCode(404);
    }
}
