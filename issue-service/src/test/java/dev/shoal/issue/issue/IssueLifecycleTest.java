package dev.shoal.issue.issue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.shoal.issue.support.DirectoryDouble;
import dev.shoal.issue.support.Outboxes;
import dev.shoal.issue.support.TestCallers;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "issue_test"))
class IssueLifecycleTest {

    @Inject
    Pool pool;

    @Inject
    DirectoryDouble directory;

    long repoId;
    String base;
    String alice;

    @BeforeEach
    void freshRepo() {
        repoId = TestCallers.newRepoId();
        base = "/api/v1/repos/acme/repo" + repoId;
        alice = TestCallers.member(11, "alice", repoId);
    }

    RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    int create(String token, String title) {
        return as(token).body(Map.of("title", title, "body", "Steps to reproduce")).post(base + "/issues")
                .then().statusCode(201).extract().path("data.number");
    }

    @Test
    void lifeCycleNewOpenClosedOpen() {
        int number = as(alice).body(Map.of("title", "Bug: something is broken", "body", "Steps to reproduce..."))
                .post(base + "/issues")
                .then().statusCode(201)
                .body("data.number", equalTo(1))
                .body("data.state", equalTo("new"))
                .body("data.title", equalTo("Bug: something is broken"))
                .body("data.author.id", equalTo(11))
                .body("data.author.username", equalTo("alice"))
                .body("data", not(hasKey("labels")))
                .body("data", not(hasKey("comments")))
                .extract().path("data.number");

        // The default list shows open issues only: a new issue is not there until triaged.
        as(alice).get(base + "/issues").then().statusCode(200)
                .body("data.size()", equalTo(0)).body("pagination.total", equalTo(0))
                .body("pagination.page", equalTo(1)).body("pagination.per_page", equalTo(30));
        as(alice).get(base + "/issues?state=new").then().body("data.number", contains(number))
                .body("pagination.total", equalTo(1));

        as(alice).body(Map.of("state", "open")).patch(base + "/issues/" + number)
                .then().statusCode(200).body("data.state", equalTo("open")).body("data.closed_at", nullValue());
        as(alice).body(Map.of("state", "closed")).patch(base + "/issues/" + number)
                .then().statusCode(200).body("data.state", equalTo("closed")).body("data.closed_at", not(nullValue()));
        as(alice).body(Map.of("state", "new")).patch(base + "/issues/" + number)
                .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.message", containsString("allowed from closed: open"));
        as(alice).body(Map.of("state", "open", "title", "Bug: still broken")).patch(base + "/issues/" + number)
                .then().statusCode(200).body("data.state", equalTo("open")).body("data.title", equalTo("Bug: still broken"));
        as(alice).body(Map.of("state", "new")).patch(base + "/issues/" + number)
                .then().statusCode(400).body("error.message", containsString("allowed from open: closed"));
        as(alice).body(Map.of("state", "triaged")).patch(base + "/issues/" + number)
                .then().statusCode(400).body("error.message", equalTo("state must be one of new, open, closed, got 'triaged'"));

        as(alice).get(base + "/issues/" + number).then().statusCode(200).body("data.state", equalTo("open"));
        as(alice).get(base + "/issues?state=closed").then().body("data.size()", equalTo(0));

        assertThat(Outboxes.types(pool, repoId))
                .containsExactly("issue.opened", "issue.updated", "issue.closed", "issue.reopened");
        JsonObject reopened = Outboxes.events(pool, repoId).get(3);
        assertThat(reopened.getString("_topic")).isEqualTo("shoal.issue");
        assertThat(reopened.getJsonObject("repo").getLong("id")).isEqualTo(repoId);
        assertThat(reopened.getJsonObject("actor").getString("login")).isEqualTo("alice");
        JsonObject issue = reopened.getJsonObject("data").getJsonObject("issue");
        assertThat(issue.getString("state")).isEqualTo("open");
        assertThat(issue.getString("title")).isEqualTo("Bug: still broken");
        assertThat(issue.getLong("number")).isEqualTo(number);
    }

    @Test
    void onlyTheAuthorOrAnOwnerMayEdit() {
        int number = create(alice, "Alice's issue");
        as(TestCallers.member(12, "bob", repoId)).body(Map.of("title", "hijacked")).patch(base + "/issues/" + number)
                .then().statusCode(403).body("error.code", equalTo("forbidden"));
        as(TestCallers.owner(13, "olga", repoId)).body(Map.of("state", "closed")).patch(base + "/issues/" + number)
                .then().statusCode(200).body("data.state", equalTo("closed"));
    }

    @Test
    void commentsAppearWithTheirAuthors() {
        int number = create(alice, "Needs discussion");
        as(TestCallers.member(12, "bob", repoId)).body(Map.of("body", "I can reproduce this on rev abc123."))
                .post(base + "/issues/" + number + "/comments")
                .then().statusCode(201)
                .body("data.body", equalTo("I can reproduce this on rev abc123."))
                .body("data.author.username", equalTo("bob"));
        as(alice).body(Map.of("body", "   ")).post(base + "/issues/" + number + "/comments")
                .then().statusCode(400).body("error.message", containsString("body is required"));

        as(alice).get(base + "/issues/" + number).then().statusCode(200)
                .body("data.comments.size()", equalTo(1))
                .body("data.comments[0].author.id", equalTo(12))
                .body("data.comments[0].body", equalTo("I can reproduce this on rev abc123."));
        JsonObject commented = Outboxes.events(pool, repoId).get(1);
        assertThat(commented.getString("type")).isEqualTo("issue.commented");
        assertThat(commented.getJsonObject("data").getJsonObject("comment").getString("body"))
                .isEqualTo("I can reproduce this on rev abc123.");
    }

    @Test
    void labelsAppearOnlyWhenAssigned() {
        int number = create(alice, "Label me");
        int bug = as(alice).body(Map.of("name", "bug", "color", "#dc2626")).post(base + "/labels")
                .then().statusCode(201).body("data.color", equalTo("#DC2626")).extract().path("data.id");
        as(alice).body(Map.of("name", "docs", "color", "#2563EB")).post(base + "/labels").then().statusCode(201);
        as(alice).body(Map.of("name", "BUG", "color", "#000000")).post(base + "/labels")
                .then().statusCode(409).body("error.code", equalTo("conflict"));
        as(alice).body(Map.of("name", "x", "color", "red")).post(base + "/labels")
                .then().statusCode(400).body("error.message", containsString("#RRGGBB"));

        as(alice).get(base + "/issues/" + number).then().body("data", not(hasKey("labels")));
        as(alice).body(Map.of("label_ids", List.of(bug))).post(base + "/issues/" + number + "/labels")
                .then().statusCode(200).body("data.labels.name", contains("bug"))
                .body("data.labels[0].color", equalTo("#DC2626"));
        as(alice).body(Map.of("labels", List.of("Docs", "bug"))).post(base + "/issues/" + number + "/labels")
                .then().statusCode(200).body("data.labels.name", contains("bug", "docs"));
        as(alice).body(Map.of("labels", List.of("nope"))).post(base + "/issues/" + number + "/labels")
                .then().statusCode(400).body("error.message", containsString("unknown labels in this repository: nope"));

        // Triaged issues show up in the default list with their labels, fetched in one batch.
        as(alice).body(Map.of("state", "open")).patch(base + "/issues/" + number).then().statusCode(200);
        int plain = create(alice, "No labels here");
        as(alice).body(Map.of("state", "open")).patch(base + "/issues/" + plain).then().statusCode(200);
        as(alice).get(base + "/issues").then().statusCode(200)
                .body("data.number", contains(plain, number))
                .body("data[0]", not(hasKey("labels")))
                .body("data[1].labels.name", contains("bug", "docs"));

        as(alice).delete(base + "/issues/" + number + "/labels/" + bug).then().statusCode(200)
                .body("data.labels.name", contains("docs"));
        as(alice).delete(base + "/issues/" + number + "/labels/" + bug).then().statusCode(404);
        as(alice).delete(base + "/labels/" + bug).then().statusCode(204);
        as(alice).get(base + "/labels").then().body("data.name", contains("docs")).body("pagination.total", equalTo(1));
    }

    @Test
    void assigneesResolveThroughTheDirectoryAndAuthorsShowKnownProfiles() {
        directory.register(new UserProfile(21L, "carol", "carol@example.com", "Carol", false, "",
                Instant.parse("2025-01-15T10:00:00Z")));
        int number = create(alice, "Assign me");
        as(alice).body(Map.of("assignees", List.of("carol"))).put(base + "/issues/" + number + "/assignees")
                .then().statusCode(200)
                .body("data.assignees.username", contains("carol"))
                .body("data.assignees[0].email", equalTo("carol@example.com"))
                .body("data.assignees[0].display_name", equalTo("Carol"))
                .body("data.assignees[0].created_at", equalTo("2025-01-15T10:00:00Z"));
        as(alice).body(Map.of("assignees", List.of("carol", "ghost"))).put(base + "/issues/" + number + "/assignees")
                .then().statusCode(400).body("error.message", equalTo("unknown users: ghost"));
        // A profile learned from the directory is used wherever that user is the author.
        int byCarol = create(TestCallers.member(21, "carol", repoId), "Carol's issue");
        as(alice).get(base + "/issues/" + byCarol).then().body("data.author.display_name", equalTo("Carol"))
                .body("data.author.is_admin", equalTo(false));
        as(alice).body(Map.of("assignees", List.of())).put(base + "/issues/" + number + "/assignees")
                .then().statusCode(200).body("data", not(hasKey("assignees")));
    }

    @Test
    void pinnedIssuesComeFirst() {
        int first = create(alice, "first");
        int second = create(alice, "second");
        int third = create(alice, "third");
        as(alice).put(base + "/issues/" + first + "/pin").then().statusCode(200).body("data.is_pinned", equalTo(true));
        as(alice).get(base + "/issues?state=new").then().body("data.number", contains(first, third, second))
                .body("data[0].is_pinned", equalTo(true)).body("data[1].is_pinned", equalTo(false));
        as(alice).get(base + "/issues?state=new&per_page=2&page=2").then().body("data.number", contains(second))
                .body("pagination.total", equalTo(3));
        as(alice).get(base + "/issues?state=new&per_page=2&page=9").then().body("data.size()", equalTo(0))
                .body("pagination.total", equalTo(3));
        as(alice).delete(base + "/issues/" + first + "/pin").then().statusCode(200).body("data.is_pinned", equalTo(false));
        as(alice).get(base + "/issues?state=new").then().body("data.number", contains(third, second, first));
    }

    @Test
    void milestonesAndTheirIssues() {
        int number = create(alice, "Ship it");
        int milestone = as(alice).body(Map.of("title", "v1.0", "due_on", "2026-12-31T00:00:00Z")).post(base + "/milestones")
                .then().statusCode(201).body("data.state", equalTo("open"))
                .body("data.due_on", equalTo("2026-12-31T00:00:00Z")).extract().path("data.id");
        as(alice).body(Map.of("milestone_id", milestone)).patch(base + "/issues/" + number)
                .then().statusCode(200).body("data.milestone.title", equalTo("v1.0"));
        as(alice).get(base + "/milestones").then().body("data[0].open_issues", equalTo(1));
        as(alice).body(Map.of("state", "done")).patch(base + "/milestones/" + milestone)
                .then().statusCode(400).body("error.message", equalTo("state must be one of open, closed, got 'done'"));
        as(alice).body(Map.of("milestone_id", 999999)).patch(base + "/issues/" + number)
                .then().statusCode(400).body("error.message", containsString("is not a milestone of this repository"));
        as(alice).delete(base + "/milestones/" + milestone).then().statusCode(204);
        as(alice).get(base + "/issues/" + number).then().body("data", not(hasKey("milestone")));
    }

    @Test
    void badInputIsA4xxWithAnActionableMessage() {
        int number = create(alice, "exists");
        as(alice).body("{\"title\": \"x\",").post(base + "/issues")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.message", containsString("malformed JSON"));
        as(alice).body("{\"title\": [\"x\"]}").post(base + "/issues")
                .then().statusCode(400).body("error.message", containsString("title"));
        as(alice).body("{\"title\": \"x\", \"priority\": 1}").post(base + "/issues")
                .then().statusCode(400).body("error.message", equalTo("unknown field 'priority'"));
        as(alice).body("{}").post(base + "/issues").then().statusCode(400).body("error.message", equalTo("title is required"));
        as(alice).body(Map.of("title", "   ")).post(base + "/issues").then().statusCode(400);
        as(alice).body(Map.of("title", "x".repeat(256))).post(base + "/issues")
                .then().statusCode(400).body("error.message", containsString("1-255"));
        as(alice).post(base + "/issues").then().statusCode(400).body("error.code", equalTo("validation_failed"));
        as(alice).get(base + "/issues/9999").then().statusCode(404).body("error.code", equalTo("not_found"))
                .body("error.message", containsString("#9999"));
        as(alice).get(base + "/issues/abc").then().statusCode(400)
                .body("error.message", equalTo("issue number must be a positive whole number, got 'abc'"));
        as(alice).get(base + "/issues?state=all").then().statusCode(400)
                .body("error.message", equalTo("state must be one of new, open, closed, got 'all'"));
        as(alice).get(base + "/issues?per_page=500").then().statusCode(400);
        as(alice).body(Map.of("state", List.of("open"))).patch(base + "/issues/" + number).then().statusCode(400);
        as(alice).body(Map.of("body", "x")).post(base + "/issues/9999/comments").then().statusCode(404);
        // Without the gateway's token nothing is answered.
        given().contentType(ContentType.JSON).body(Map.of("title", "x")).post(base + "/issues").then().statusCode(401);
        // Nothing above changed anything, so only the first create produced an event.
        assertThat(Outboxes.types(pool, repoId)).containsExactly("issue.opened");
    }
}
