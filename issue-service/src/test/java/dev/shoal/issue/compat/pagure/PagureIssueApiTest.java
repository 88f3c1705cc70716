package dev.shoal.issue.compat.pagure;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.shoal.issue.support.DirectoryDouble;
import dev.shoal.issue.support.JGitRepoGateway;
import dev.shoal.issue.support.TestCallers;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Walks every Pagure issue endpoint group with form-encoded requests, checking Pagure's field names,
 * and checks that an issue made through Pagure is the same issue in the Isurus API.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "issue_test"))
class PagureIssueApiTest {

    @Inject
    DirectoryDouble directory;

    @Inject
    JGitRepoGateway git;

    long repoId;
    String pagure;
    String isurus;
    String alice;
    String owner;
    String outsider;

    @BeforeEach
    void setUp() {
        repoId = TestCallers.newRepoId();
        pagure = "/api/0/acme/repo" + repoId;
        isurus = "/api/v1/repos/acme/repo" + repoId;
        alice = TestCallers.member(41, "alice", repoId);
        owner = TestCallers.owner(40, "olga", repoId);
        outsider = TestCallers.reader(43, "mallory", repoId);
        git.commit(repoId, "main", Map.of("README.md", "hello\n"), "initial");
        directory.register(new UserProfile(41L, "alice", "alice@example.com", "Alice Liddell", false, null, null));
        directory.register(new UserProfile(42L, "bob", "bob@example.com", "Bob", false, null, null));
        given().auth().oauth2(owner).contentType(ContentType.JSON)
                .body(Map.of("priorities", Map.of("1", "High", "2", "Low"),
                        "close_statuses", List.of("Fixed", "Invalid", "Duplicate"),
                        "custom_fields", List.of(Map.of("name", "severity", "type", "list", "options", List.of("minor", "major")),
                                Map.of("name", "notes", "type", "text"), Map.of("name", "due", "type", "date"))))
                .put(isurus + "/issue-settings").then().statusCode(200)
                .body("data.priorities.1", equalTo("High"));
        given().auth().oauth2(owner).contentType(ContentType.JSON).body(Map.of("title", "v1.0"))
                .post(isurus + "/milestones").then().statusCode(201);
    }

    RequestSpecification form(String token) {
        return given().auth().oauth2(token).contentType(ContentType.URLENC);
    }

    int newIssue(String token, Map<String, String> fields) {
        RequestSpecification spec = form(token);
        fields.forEach(spec::formParam);
        return spec.post(pagure + "/new_issue").then().statusCode(200)
                .body("message", equalTo("Issue created")).extract().path("issue.id");
    }

    @Test
    void newIssueHasPagureShapeAndIsTheSameIssueInIsurus() {
        int id = form(alice).formParam("title", "Crash on start").formParam("issue_content", "It crashes")
                .formParam("priority", "High").formParam("milestone", "v1.0").formParam("tag", "bug, ui")
                .formParam("assignee", "bob")
                .post(pagure + "/new_issue").then().statusCode(200)
                .body("message", equalTo("Issue created"))
                .body("issue.title", equalTo("Crash on start"))
                .body("issue.content", equalTo("It crashes"))
                .body("issue.status", equalTo("Open"))
                .body("issue.close_status", nullValue())
                .body("issue.private", equalTo(false))
                .body("issue.priority", equalTo(1))
                .body("issue.milestone", equalTo("v1.0"))
                .body("issue.tags", contains("bug", "ui"))
                .body("issue.assignee.name", equalTo("bob"))
                .body("issue.user.name", equalTo("alice"))
                .body("issue.date_created", matchesPattern("\\d{10}"))
                .body("issue.last_updated", matchesPattern("\\d{10}"))
                .body("issue.custom_fields", equalTo(List.of()))
                .body("issue", hasKey("blocks")).body("issue", hasKey("depends")).body("issue", hasKey("closed_at"))
                .extract().path("issue.id");

        given().auth().oauth2(alice).get(isurus + "/issues/" + id).then().statusCode(200)
                .body("data.number", equalTo(id))
                .body("data.title", equalTo("Crash on start"))
                .body("data.state", equalTo("new"))
                .body("data.labels.name", contains("bug", "ui"))
                .body("data.milestone.title", equalTo("v1.0"))
                .body("data.assignees.username", contains("bob"));

        // closing through Pagure with a close status: 'closed' in Isurus, 'Closed' + 'Fixed' in Pagure
        form(alice).formParam("status", "Closed").formParam("close_status", "Fixed")
                .post(pagure + "/issue/" + id + "/status").then().statusCode(200)
                .body("message", equalTo("Successfully edited issue #" + id));
        given().auth().oauth2(alice).get(isurus + "/issues/" + id).then().statusCode(200)
                .body("data.state", equalTo("closed"));
        given().auth().oauth2(alice).get(pagure + "/issue/" + id).then().statusCode(200)
                .body("status", equalTo("Closed"))
                .body("close_status", equalTo("Fixed"))
                .body("closed_by.name", equalTo("alice"))
                .body("closed_at", matchesPattern("\\d{10}"));

        // reopening in Isurus clears the close status
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("state", "open"))
                .patch(isurus + "/issues/" + id).then().statusCode(200);
        given().auth().oauth2(alice).get(pagure + "/issue/" + id).then()
                .body("status", equalTo("Open")).body("close_status", nullValue());

        // an issue created in Isurus is visible to Pagure under the same number
        int fromIsurus = given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("title", "From Isurus", "body", "b"))
                .post(isurus + "/issues").then().statusCode(201).extract().path("data.number");
        given().auth().oauth2(alice).get(pagure + "/issue/" + fromIsurus).then().statusCode(200)
                .body("id", equalTo(fromIsurus)).body("title", equalTo("From Isurus")).body("status", equalTo("Open"));
    }

    @Test
    void newIssueRefusesBadInputInPagureShape() {
        form(alice).formParam("issue_content", "x").post(pagure + "/new_issue").then().statusCode(400)
                .body("error_code", equalTo("EINVALIDREQ")).body("error", containsString("title"));
        form(alice).formParam("title", "t").post(pagure + "/new_issue").then().statusCode(400)
                .body("error", containsString("issue_content"));
        form(alice).formParam("title", "t").formParam("issue_content", "c").formParam("priority", "Urgent")
                .post(pagure + "/new_issue").then().statusCode(400).body("error", containsString("priority"));
        form(alice).formParam("title", "t").formParam("issue_content", "c").formParam("milestone", "nope")
                .post(pagure + "/new_issue").then().statusCode(400).body("error", containsString("milestone"));
        form(alice).formParam("title", "t").formParam("issue_content", "c").formParam("assignee", "ghost")
                .post(pagure + "/new_issue").then().statusCode(404).body("error_code", equalTo("ENOUSER"));
        form(alice).formParam("title", "t").formParam("issue_content", "c").formParam("private", "maybe")
                .post(pagure + "/new_issue").then().statusCode(400).body("error", containsString("private"));
        given().auth().oauth2(alice).contentType(ContentType.JSON).body("{not json")
                .post(pagure + "/new_issue").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));
        given().auth().oauth2(alice).get(pagure + "/issue/abc").then().statusCode(404).body("error_code", equalTo("ENOISSUE"));
        given().auth().oauth2(alice).get(pagure + "/issue/999999").then().statusCode(404).body("error_code", equalTo("ENOISSUE"));
        // JSON bodies are taken too
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("title", "json", "issue_content", "body"))
                .post(pagure + "/new_issue").then().statusCode(200).body("issue.title", equalTo("json"));
    }

    @Test
    void listFiltersByStatusTagsAssigneeAuthorMilestonePriorityAndPaginates() {
        int a = newIssue(alice, Map.of("title", "A", "issue_content", "a", "tag", "bug", "priority", "1", "milestone", "v1.0"));
        int b = newIssue(alice, Map.of("title", "B", "issue_content", "b", "tag", "ui", "assignee", "bob"));
        int c = newIssue(owner, Map.of("title", "C", "issue_content", "c", "tag", "bug,ui"));
        form(alice).formParam("status", "Closed").formParam("close_status", "Invalid").post(pagure + "/issue/" + c + "/status")
                .then().statusCode(200);

        given().auth().oauth2(alice).get(pagure + "/issues").then().statusCode(200)
                .body("total_issues", equalTo(2)).body("issues.id", contains(b, a))
                .body("args.status", nullValue()).body("args", hasKey("no_stones")).body("args", hasKey("since"))
                .body("pagination.page", equalTo(1)).body("pagination.pages", equalTo(1))
                .body("pagination.first", containsString(pagure + "/issues?"));
        given().auth().oauth2(alice).queryParam("status", "all").queryParam("order", "asc").get(pagure + "/issues").then()
                .body("issues.id", contains(a, b, c));
        given().auth().oauth2(alice).queryParam("status", "Closed").get(pagure + "/issues").then()
                .body("issues.id", contains(c)).body("issues[0].close_status", equalTo("Invalid"));
        given().auth().oauth2(alice).queryParam("status", "Invalid").get(pagure + "/issues").then().body("issues.id", contains(c));
        given().auth().oauth2(alice).queryParam("status", "Fixed").get(pagure + "/issues").then().body("total_issues", equalTo(0));
        given().auth().oauth2(alice).queryParam("status", "all").queryParam("tags", "bug").get(pagure + "/issues").then()
                .body("issues.id", contains(c, a));
        given().auth().oauth2(alice).queryParam("status", "all").queryParam("tags", "!ui").get(pagure + "/issues").then()
                .body("issues.id", contains(a));
        given().auth().oauth2(alice).queryParam("status", "all").queryParam("tags", "bug").queryParam("tags", "ui")
                .get(pagure + "/issues").then().body("issues.id", contains(c));
        given().auth().oauth2(alice).queryParam("assignee", "bob").get(pagure + "/issues").then().body("issues.id", contains(b));
        given().auth().oauth2(alice).queryParam("status", "all").queryParam("author", "olga").get(pagure + "/issues").then()
                .body("issues.id", contains(c));
        given().auth().oauth2(alice).queryParam("milestones", "v1.0").get(pagure + "/issues").then().body("issues.id", contains(a));
        given().auth().oauth2(alice).queryParam("no_stones", "true").get(pagure + "/issues").then().body("issues.id", contains(b));
        given().auth().oauth2(alice).queryParam("priority", "High").get(pagure + "/issues").then().body("issues.id", contains(a));
        given().auth().oauth2(alice).queryParam("since", "2000-01-01").get(pagure + "/issues").then().body("total_issues", equalTo(2));
        given().auth().oauth2(alice).queryParam("since", "4102444800").get(pagure + "/issues").then().body("total_issues", equalTo(0));
        given().auth().oauth2(alice).queryParam("per_page", "1").queryParam("page", "2").get(pagure + "/issues").then()
                .body("issues.id", contains(a)).body("pagination.pages", equalTo(2))
                .body("pagination.prev", containsString("page=1")).body("pagination.next", nullValue());
        given().auth().oauth2(alice).queryParam("status", "Whatever").get(pagure + "/issues").then().statusCode(400)
                .body("error_code", equalTo("EINVALIDREQ"));
        given().auth().oauth2(alice).queryParam("since", "yesterday").get(pagure + "/issues").then().statusCode(400)
                .body("error_code", equalTo("ETIMESTAMP"));
        given().auth().oauth2(alice).queryParam("per_page", "500").get(pagure + "/issues").then().statusCode(400);
    }

    @Test
    void privateIssuesShowOnlyToMembersAuthorAndAssignee() {
        String bobToken = TestCallers.reader(42, "bob", repoId);
        int secret = newIssue(bobToken, Map.of("title", "Secret", "issue_content", "s", "private", "true"));
        given().auth().oauth2(alice).get(pagure + "/issue/" + secret).then().statusCode(200).body("private", equalTo(true));
        given().auth().oauth2(bobToken).get(pagure + "/issue/" + secret).then().statusCode(200);
        given().auth().oauth2(outsider).get(pagure + "/issue/" + secret).then().statusCode(404).body("error_code", equalTo("ENOISSUE"));
        given().auth().oauth2(outsider).get(pagure + "/issues").then().body("issues.id", not(hasItem(secret)));
        given().auth().oauth2(alice).get(pagure + "/issues").then().body("issues.id", hasItem(secret));
        // the Isurus API keeps it private too
        given().auth().oauth2(outsider).get(isurus + "/issues/" + secret).then().statusCode(404);
        given().auth().oauth2(outsider).queryParam("state", "new").get(isurus + "/issues").then()
                .body("data.number", not(hasItem(secret)));
        given().auth().oauth2(outsider).contentType(ContentType.JSON).body(Map.of("body", "peek"))
                .post(isurus + "/issues/" + secret + "/comments").then().statusCode(404);
        given().auth().oauth2(alice).queryParam("state", "new").get(isurus + "/issues").then()
                .body("data.number", hasItem(secret)).body("pagination.total", equalTo(1));
        given().auth().oauth2(bobToken).get(isurus + "/issues/" + secret).then().statusCode(200);
        // without ticket access the triage fields are left out, as Pagure does
        int plain = newIssue(outsider, Map.of("title", "Drive-by", "issue_content", "x", "tag", "spam", "assignee", "bob",
                "priority", "High"));
        given().auth().oauth2(alice).get(pagure + "/issue/" + plain).then().statusCode(200)
                .body("tags", equalTo(List.of())).body("assignee", nullValue()).body("priority", nullValue());
    }

    @Test
    void commentsCustomFieldsMilestoneAssignSubscribe() {
        int id = newIssue(alice, Map.of("title", "Work", "issue_content", "w"));
        String issue = pagure + "/issue/" + id;

        form(alice).formParam("comment", "First!").post(issue + "/comment").then().statusCode(200)
                .body("message", equalTo("Comment added"));
        form(alice).post(issue + "/comment").then().statusCode(400).body("error", containsString("comment"));
        int commentId = given().auth().oauth2(alice).get(issue).then().statusCode(200)
                .body("comments[0].comment", equalTo("First!")).body("comments[0].user.name", equalTo("alice"))
                .body("comments[0].user.fullname", equalTo("alice"))
                .body("comments[0].date_created", matchesPattern("\\d{10}"))
                .extract().path("comments[0].id");
        given().auth().oauth2(alice).get(issue + "/comment/" + commentId).then().statusCode(200)
                .body("comment", equalTo("First!")).body("id", equalTo(commentId))
                .body("comment_date", matchesPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d")).body("user.name", equalTo("alice"));
        given().auth().oauth2(alice).get(issue + "/comment/999999").then().statusCode(404).body("error_code", equalTo("ENOCOMMENT"));

        form(alice).formParam("value", "major").post(issue + "/custom/severity").then().statusCode(200)
                .body("message", equalTo("Custom field severity adjusted to major"));
        form(alice).formParam("value", "huge").post(issue + "/custom/severity").then().statusCode(400)
                .body("error", containsString("minor, major"));
        form(alice).formParam("value", "x").post(issue + "/custom/nope").then().statusCode(400)
                .body("error", containsString("nope"));
        form(alice).formParam("value", "31/12/2030").post(issue + "/custom/due").then().statusCode(400);
        form(alice).formParam("severity", "minor").formParam("notes", "see log").post(issue + "/custom").then().statusCode(200)
                .body("messages[0].severity", equalTo("Custom field severity adjusted to minor (was: major)"))
                .body("messages[1].notes", equalTo("Custom field notes adjusted to see log"));
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("myfields", Map.of("due", "2030-12-31")))
                .post(issue + "/custom").then().statusCode(200);
        given().auth().oauth2(alice).get(issue).then()
                .body("custom_fields.name", contains("severity", "notes", "due"))
                .body("custom_fields.value", contains("minor", "see log", "2030-12-31"))
                .body("custom_fields.key_type", contains("list", "text", "date"));
        form(alice).formParam("value", "").post(issue + "/custom/notes").then().statusCode(200)
                .body("message", containsString("reset"));

        form(alice).formParam("milestone", "v1.0").post(issue + "/milestone").then().statusCode(200)
                .body("message", equalTo("Successfully edited issue #" + id));
        given().auth().oauth2(alice).get(issue).then().body("milestone", equalTo("v1.0"));
        form(alice).formParam("milestone", "").post(issue + "/milestone").then().statusCode(200);
        given().auth().oauth2(alice).get(issue).then().body("milestone", nullValue());
        form(alice).formParam("milestone", "v9").post(issue + "/milestone").then().statusCode(400);

        form(alice).formParam("assignee", "bob").post(issue + "/assign").then().statusCode(200)
                .body("message", equalTo("Issue assigned"));
        given().auth().oauth2(alice).get(issue).then().body("assignee.name", equalTo("bob")).body("assignee.fullname", equalTo("Bob"));
        form(alice).formParam("assignee", "").post(issue + "/assign").then().statusCode(200)
                .body("message", equalTo("Assignee reset"));
        form(alice).formParam("assignee", "ghost").post(issue + "/assign").then().statusCode(404)
                .body("error_code", equalTo("ENOUSER"));
        form(outsider).formParam("assignee", "bob").post(issue + "/assign").then().statusCode(403)
                .body("error_code", equalTo("EISSUENOTALLOWED"));

        form(outsider).formParam("status", "true").post(issue + "/subscribe").then().statusCode(200)
                .body("message", equalTo("User subscribed")).body("user", equalTo("mallory")).body("$", hasKey("avatar_url"));
        form(outsider).formParam("status", "false").post(issue + "/subscribe").then().statusCode(200)
                .body("message", equalTo("User unsubscribed"));
        form(outsider).post(issue + "/subscribe").then().statusCode(400);

        form(outsider).formParam("status", "Closed").post(issue + "/status").then().statusCode(403)
                .body("error_code", equalTo("EISSUENOTALLOWED"));
        form(alice).formParam("status", "Closed").formParam("close_status", "Wontfix").post(issue + "/status").then()
                .statusCode(400).body("error", containsString("Fixed, Invalid, Duplicate"));
        form(alice).formParam("status", "Duplicate").post(issue + "/status").then().statusCode(200);
        given().auth().oauth2(alice).get(issue).then().body("status", equalTo("Closed")).body("close_status", equalTo("Duplicate"));
        form(alice).formParam("status", "Open").post(issue + "/status").then().statusCode(200);
        given().auth().oauth2(alice).get(isurus + "/issues/" + id).then().body("data.state", equalTo("open"));
    }

    @Test
    void userIssuesListsCreatedAndAssignedAcrossProjects() {
        String bobToken = TestCallers.member(42, "bob", repoId);
        int mine = newIssue(bobToken, Map.of("title", "Bob's", "issue_content", "x"));
        int assigned = newIssue(alice, Map.of("title", "For Bob", "issue_content", "y", "assignee", "bob"));
        given().auth().oauth2(alice).queryParam("per_page", "100").get("/api/0/user/bob/issues").then().statusCode(200)
                .body("issues_created.title", hasItem("Bob's"))
                .body("issues_assigned.title", hasItem("For Bob"))
                .body("issues_created.title", not(hasItem("For Bob")))
                .body("args.assignee", equalTo(true)).body("args.author", equalTo(true))
                .body("$", hasKey("pagination_issues_created")).body("$", hasKey("pagination_issues_assigned"))
                .body("$", hasKey("total_issues_created")).body("$", hasKey("total_issues_assigned"));
        given().auth().oauth2(alice).queryParam("author", "false").get("/api/0/user/bob/issues").then().statusCode(200)
                .body("issues_created", equalTo(List.of())).body("total_issues_created", equalTo(0));
        given().auth().oauth2(alice).get("/api/0/user/ghost/issues").then().statusCode(404).body("error_code", equalTo("ENOUSER"));
        given().auth().oauth2(alice).queryParam("author", "perhaps").get("/api/0/user/bob/issues").then().statusCode(400);
        org.assertj.core.api.Assertions.assertThat(mine).isNotEqualTo(assigned);
    }
}
