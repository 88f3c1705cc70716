package dev.shoal.issue.issue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;

import dev.shoal.issue.support.DirectoryDouble;
import dev.shoal.issue.support.TestCallers;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The list's items are rendered by PostgreSQL, the single issue by Jackson from records: each item must
 * be byte for byte the issue's own answer (which has no comments here), whatever it carries: known and
 * unknown authors and assignees, labels, a milestone, a pin, a close date, text that JSON must escape.
 * One spelling differs and is the same string to any JSON reader: Jackson writes a character beyond
 * the BMP as an escaped surrogate pair, PostgreSQL writes its UTF-8 bytes.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "issue_test"))
class IssueListBodyTest {

    static final String AWKWARD = "Quotes \" and \\ backslash, tab\t, new\nline, \u0001 control, </script>, é, 🐟, \u2028";

    @Inject
    Pool pool;

    @Inject
    DirectoryDouble directory;

    RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    @Test
    void everyItemIsTheIssuesOwnAnswer() {
        long repoId = TestCallers.newRepoId();
        String base = "/api/v1/repos/acme/repo" + repoId;
        String alice = TestCallers.member(11, "alice", repoId);
        String carol = TestCallers.member(31, "carol", repoId);
        directory.register(new UserProfile(31L, "carol", "carol@example.com", "Carol \"C\" Doe", false, "",
                Instant.parse("2025-01-15T10:00:00.987Z")));

        int plain = create(base, alice, "plain", "");
        int rich = create(base, alice, AWKWARD, AWKWARD);
        int bug = label(base, alice, "bug", "#dc2626");
        label(base, alice, "Docs", "#2563EB");
        as(alice).body(Map.of("labels", List.of("docs", "bug"))).post(base + "/issues/" + rich + "/labels").then().statusCode(200);
        as(alice).body(Map.of("assignees", List.of("carol"))).put(base + "/issues/" + rich + "/assignees").then().statusCode(200);
        // an assignee whose profile this service never learned shows as the id and login recorded
        long richId = pool.preparedQuery("SELECT id FROM issue WHERE repo_id = $1 AND number = $2")
                .execute(Tuple.of(repoId, rich)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        pool.preparedQuery("INSERT INTO issue_assignee (issue_id, user_id, username) VALUES ($1, $2, 'Aaron')")
                .execute(Tuple.of(richId, 99L)).await().atMost(Duration.ofSeconds(10));
        int milestone = as(alice).body(Map.of("title", "v1 \"first\"")).post(base + "/milestones")
                .then().statusCode(201).extract().path("data.id");
        as(alice).body(Map.of("milestone_id", milestone, "state", "open")).patch(base + "/issues/" + rich).then().statusCode(200);
        int byCarol = create(base, carol, "Carol's", "known author");
        as(alice).put(base + "/issues/" + byCarol + "/pin").then().statusCode(200);
        as(carol).body(Map.of("state", "open")).patch(base + "/issues/" + byCarol).then().statusCode(200);
        as(alice).body(Map.of("state", "closed")).patch(base + "/issues/" + plain).then().statusCode(200);

        as(alice).get(base + "/issues/" + rich).then().body("data.labels.id", contains(bug, label(base, alice, "docs")))
                .body("data.assignees.username", contains("Aaron", "carol"));
        assertThat(list(base, alice, "open", "")).isEqualTo("{\"data\":[" + one(base, alice, byCarol) + ","
                + one(base, alice, rich) + "],\"pagination\":{\"page\":1,\"per_page\":30,\"total\":2}}");
        assertThat(list(base, alice, "closed", "")).isEqualTo("{\"data\":[" + one(base, alice, plain)
                + "],\"pagination\":{\"page\":1,\"per_page\":30,\"total\":1}}");
        assertThat(list(base, alice, "open", "&per_page=1&page=2")).isEqualTo("{\"data\":[" + one(base, alice, rich)
                + "],\"pagination\":{\"page\":2,\"per_page\":1,\"total\":2}}");
        assertThat(list(base, alice, "open", "&per_page=1&page=3"))
                .isEqualTo("{\"data\":[],\"pagination\":{\"page\":3,\"per_page\":1,\"total\":2}}");
        assertThat(list(base, alice, "new", "")).isEqualTo("{\"data\":[],\"pagination\":{\"page\":1,\"per_page\":30,\"total\":0}}");
    }

    int create(String base, String token, String title, String body) {
        return as(token).body(Map.of("title", title, "body", body)).post(base + "/issues")
                .then().statusCode(201).extract().path("data.number");
    }

    int label(String base, String token, String name, String color) {
        return as(token).body(Map.of("name", name, "color", color)).post(base + "/labels")
                .then().statusCode(201).extract().path("data.id");
    }

    int label(String base, String token, String name) {
        List<Integer> ids = as(token).get(base + "/labels").then().statusCode(200).extract()
                .path("data.findAll { it.name.toLowerCase() == '" + name + "' }.id");
        return ids.get(0);
    }

    String list(String base, String token, String state, String more) {
        return as(token).get(base + "/issues?state=" + state + more).then().statusCode(200).extract().asString();
    }

    /** The {@code data} of the issue's own answer, as written. */
    String one(String base, String token, int number) {
        String raw = as(token).get(base + "/issues/" + number).then().statusCode(200).extract().asString();
        assertThat(raw).startsWith("{\"data\":{").endsWith("}}").doesNotContain("\"comments\"");
        return raw.substring("{\"data\":".length(), raw.length() - 1).replace("\\uD83D\\uDC1F", "🐟");
    }
}
