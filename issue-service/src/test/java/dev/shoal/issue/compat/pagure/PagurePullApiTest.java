package dev.shoal.issue.compat.pagure;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.shoal.issue.client.RepoGateway.RepoInfo;
import dev.shoal.issue.repo.repository.RepoRecords;
import dev.shoal.issue.support.DirectoryDouble;
import dev.shoal.issue.support.JGitRepoGateway;
import dev.shoal.issue.support.OrgRolesDouble;
import dev.shoal.issue.support.TestCallers;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Walks every Pagure pull request endpoint group with form-encoded requests, checking Pagure's field names and the effects. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "issue_test"))
class PagurePullApiTest {

    @Inject
    Pool pool;

    @Inject
    RepoRecords records;

    @Inject
    JGitRepoGateway git;

    @Inject
    dev.shoal.issue.user.repository.UserRepository users;

    @Inject
    DirectoryDouble directory;

    @Inject
    OrgRolesDouble orgRoles;

    long repoId;
    String pagure;
    String isurus;
    String alice;
    String bob;
    String outsider;

    @BeforeEach
    void setUp() {
        repoId = TestCallers.newRepoId();
        pagure = "/api/0/acme/repo" + repoId;
        isurus = "/api/v1/repos/acme/repo" + repoId;
        alice = TestCallers.member(41, "alice", repoId);
        bob = TestCallers.member(42, "bob", repoId);
        outsider = TestCallers.reader(43, "mallory", repoId);
        directory.register(new UserProfile(41L, "alice", "alice@example.com", "Alice Liddell", false, null, null));
        // alice as the gateway's user.created event stores her here (name and email, which flags show)
        pool.withTransaction(tx -> users.upsert(tx, new UserProfile(41L, "alice", "alice@example.com", "Alice Liddell", false,
                null, null), true)).await().atMost(Duration.ofSeconds(30));
        directory.register(new UserProfile(42L, "bob", "bob@example.com", "Bob Builder", false, null, null));
        directory.register(new UserProfile(43L, "mallory", null, null, false, null, null));
        orgRoles.member(42, "acme");
        git.commit(repoId, "main", Map.of("README.md", "hello\n", "old.txt", "a\nb\nc\n"), "initial");
        git.commit(repoId, "feature", Map.of("src/app.txt", "one\ntwo\n", "README.md", "hello world\n"), "add app");
    }

    RequestSpecification form(String token) {
        return given().auth().oauth2(token).contentType(ContentType.URLENC);
    }

    int open(String from, String title) {
        return form(alice).formParam("title", title).formParam("branch_to", "main").formParam("branch_from", from)
                .formParam("initial_comment", "Please review").post(pagure + "/pull-request/new")
                .then().statusCode(200).extract().path("id");
    }

    @Test
    void createInfoListDiffstatsAndUid() {
        String uid = form(alice).formParam("title", "Add app").formParam("branch_to", "main").formParam("branch_from", "feature")
                .formParam("initial_comment", "Please review").post(pagure + "/pull-request/new").then().statusCode(200)
                .body("title", equalTo("Add app"))
                .body("status", equalTo("Open"))
                .body("branch", equalTo("main"))
                .body("branch_from", equalTo("feature"))
                .body("initial_comment", equalTo("Please review"))
                .body("user.name", equalTo("alice"))
                .body("assignee", nullValue())
                .body("commit_stop", equalTo(git.head(repoId, "feature")))
                .body("commit_start", equalTo(git.head(repoId, "feature")))
                .body("date_created", matchesPattern("\\d{10}"))
                .body("updated_on", matchesPattern("\\d{10}"))
                .body("uid", matchesPattern("[0-9a-f]{32}"))
                .body("project.fullname", equalTo("acme/repo" + repoId))
                .body("project.namespace", equalTo("acme"))
                .body("repo_from.name", equalTo("repo" + repoId))
                // issue 21: the project's creation and description (repo-service), its tracker's close statuses and keys
                .body("project.date_created", equalTo(String.valueOf(JGitRepoGateway.CREATED.getEpochSecond())))
                .body("project.description", equalTo("repository " + repoId))
                .body("project.close_status", equalTo(dev.shoal.issue.tracker.TrackerSettings.DEFAULT_CLOSE_STATUSES))
                .body("project.custom_keys", equalTo(List.of()))
                .body("repo_from.date_created", equalTo(String.valueOf(JGitRepoGateway.CREATED.getEpochSecond())))
                .body("repo_from.description", equalTo("repository " + repoId))
                .body("repo_from", org.hamcrest.Matchers.not(hasKey("close_status")))
                .body("$", hasKey("closed_at")).body("$", hasKey("closed_by")).body("$", hasKey("remote_git"))
                .extract().path("uid");
        int id = given().auth().oauth2(alice).get(pagure + "/pull-requests").then().statusCode(200)
                .body("total_requests", equalTo(1))
                .body("requests[0].uid", equalTo(uid))
                .body("args.status", equalTo(true))
                .body("pagination.page", equalTo(1))
                .extract().path("requests[0].id");
        // the same pull request in the Isurus API
        given().auth().oauth2(alice).get(isurus + "/pulls/" + id).then().statusCode(200)
                .body("data.title", equalTo("Add app")).body("data.status", equalTo("open"))
                .body("data.source_bookmark", equalTo("feature"));
        given().auth().oauth2(alice).get(pagure + "/pull-request/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("uid", equalTo(uid));
        // a single pull request shows its project's tracker settings as they are now
        given().auth().oauth2(TestCallers.owner(40, "olga", repoId)).contentType(ContentType.JSON)
                .body(Map.of("close_statuses", List.of("Fixed", "Rejected"),
                        "custom_fields", List.of(Map.of("name", "severity", "type", "text"), Map.of("name", "due", "type", "date"))))
                .put(isurus + "/issue-settings").then().statusCode(200);
        given().auth().oauth2(alice).get(pagure + "/pull-request/" + id).then().statusCode(200)
                .body("project.close_status", equalTo(List.of("Fixed", "Rejected")))
                .body("project.custom_keys", equalTo(List.of("severity", "due")))
                .body("project.description", equalTo("repository " + repoId))
                .body("repo_from.description", equalTo("repository " + repoId));
        given().auth().oauth2(outsider).get("/api/0/pull-requests/" + uid).then().statusCode(200)
                .body("id", equalTo(id)).body("title", equalTo("Add app"));
        given().auth().oauth2(alice).get("/api/0/pull-requests/" + "0".repeat(32)).then().statusCode(404)
                .body("error_code", equalTo("ENOREQ"));
        given().auth().oauth2(alice).get(pagure + "/pull-request/" + id + "/diffstats").then().statusCode(200)
                .body("'src/app.txt'.status", equalTo("A"))
                .body("'src/app.txt'.lines_added", equalTo(2))
                .body("'src/app.txt'.lines_removed", equalTo(0))
                .body("'README.md'.status", equalTo("M"))
                .body("'README.md'.old_path", equalTo("README.md"))
                .body("'README.md'.lines_removed", equalTo(1));
        given().auth().oauth2(alice).get(pagure + "/pull-request/9999").then().statusCode(404).body("error_code", equalTo("ENOREQ"));
        given().auth().oauth2(alice).get(pagure + "/pull-request/x").then().statusCode(404).body("error_code", equalTo("ENOREQ"));
        given().auth().oauth2(alice).queryParam("status", "Merged").get(pagure + "/pull-requests").then()
                .body("total_requests", equalTo(0));
        given().auth().oauth2(alice).queryParam("status", "sideways").get(pagure + "/pull-requests").then().statusCode(400)
                .body("error_code", equalTo("EINVALIDREQ"));
    }

    @Test
    void createRefusesBadInput() {
        form(alice).formParam("branch_to", "main").formParam("branch_from", "feature").post(pagure + "/pull-request/new")
                .then().statusCode(400).body("error_code", equalTo("EINVALIDREQ")).body("error", containsString("title"));
        form(alice).formParam("title", "t").formParam("branch_from", "feature").post(pagure + "/pull-request/new")
                .then().statusCode(400).body("error", containsString("branch_to"));
        form(alice).formParam("title", "t").formParam("branch_to", "main").formParam("branch_from", "nope")
                .post(pagure + "/pull-request/new").then().statusCode(400).body("error", containsString("nope"));
        form(alice).formParam("title", "t").formParam("branch_to", "main").formParam("branch_from", "feature")
                .formParam("repo_from_username", "bob").post(pagure + "/pull-request/new").then().statusCode(400)
                .body("error", containsString("fork"));
        given().auth().oauth2(alice).contentType(ContentType.JSON).body("[1,2]").post(pagure + "/pull-request/new")
                .then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));
        given().auth().oauth2(alice).contentType("text/plain").body("hi").post(pagure + "/pull-request/new")
                .then().statusCode(415).body("error_code", equalTo("EINVALIDREQ"));
    }

    @Test
    void commentAssignUpdateFlagAndClose() {
        int id = open("feature", "Add app");
        String pr = pagure + "/pull-request/" + id;
        form(outsider).formParam("comment", "Nice").post(pr + "/comment").then().statusCode(200)
                .body("message", equalTo("Comment added"));
        form(alice).formParam("comment", "Typo here").formParam("filename", "src/app.txt").formParam("row", "2")
                .post(pr + "/comment").then().statusCode(200);
        form(alice).formParam("comment", "x").formParam("filename", "../etc/passwd").formParam("row", "1")
                .post(pr + "/comment").then().statusCode(400);
        form(alice).post(pr + "/comment").then().statusCode(400).body("error", containsString("comment"));
        given().auth().oauth2(alice).get(pr).then().body("comments.comment", contains("Nice", "Typo here"))
                .body("comments[0].user.name", equalTo("mallory")).body("comments[0].filename", nullValue())
                .body("comments[1].filename", equalTo("src/app.txt")).body("comments[1].line", equalTo(2))
                .body("comments[1].commit", equalTo(git.head(repoId, "feature")))
                .body("comments[1].user.name", equalTo("alice"));
        given().auth().oauth2(alice).get(isurus + "/pulls/" + id + "/reviews").then()
                .body("data[0].comments[0].path", equalTo("src/app.txt")).body("data[0].comments[0].line", equalTo(2));

        form(alice).formParam("assignee", "bob").post(pr + "/assign").then().statusCode(200)
                .body("message", equalTo("pull-request assigned"));
        given().auth().oauth2(alice).get(pr).then().body("assignee.name", equalTo("bob")).body("assignee.fullname", equalTo("Bob Builder"));
        given().auth().oauth2(alice).queryParam("assignee", "bob").get(pagure + "/pull-requests").then()
                .body("requests.id", contains(id));
        form(outsider).formParam("assignee", "bob").post(pr + "/assign").then().statusCode(403)
                .body("error_code", equalTo("ENOTHIGHENOUGH"));
        form(alice).formParam("assignee", "ghost").post(pr + "/assign").then().statusCode(404).body("error_code", equalTo("ENOUSER"));
        form(alice).formParam("assignee", "").post(pr + "/assign").then().statusCode(200)
                .body("message", equalTo("pull-request unassigned"));

        form(alice).formParam("title", "Add the app").formParam("initial_comment", "Now with docs").post(pr).then().statusCode(200)
                .body("title", equalTo("Add the app")).body("initial_comment", equalTo("Now with docs"));
        form(alice).formParam("initial_comment", "x").post(pr).then().statusCode(400).body("error", containsString("title"));

        String head = git.head(repoId, "feature");
        String uid = form(alice).formParam("username", "Jenkins").formParam("comment", "Tests running")
                .formParam("url", "https://ci.example.com/1").formParam("percent", "50").formParam("status", "pending")
                .post(pr + "/flag").then().statusCode(200)
                .body("message", equalTo("Flag added"))
                .body("flag.username", equalTo("Jenkins"))
                .body("flag.status", equalTo("pending"))
                .body("flag.percent", equalTo(50))
                .body("flag.pull_request_uid", matchesPattern("[0-9a-f]{32}"))
                .body("flag.user.name", equalTo("alice"))
                .body("flag.user.default_email", equalTo("alice@example.com"))
                .body("flag.user.emails", equalTo(List.of("alice@example.com")))
                .body("flag.date_created", matchesPattern("\\d{10}"))
                .body("uid", matchesPattern("[0-9a-f]{32}"))
                .extract().path("uid");
        form(alice).formParam("username", "Jenkins").formParam("comment", "Tests passed").formParam("url", "https://ci.example.com/1")
                .formParam("percent", "100").formParam("uid", uid).post(pr + "/flag").then().statusCode(200)
                .body("message", equalTo("Flag updated")).body("flag.status", equalTo("success")).body("uid", equalTo(uid));
        form(alice).formParam("username", "Jenkins").formParam("comment", "c").formParam("url", "ftp://x")
                .post(pr + "/flag").then().statusCode(400).body("error", containsString("url"));
        form(alice).formParam("username", "Jenkins").formParam("comment", "c").formParam("url", "https://x")
                .formParam("status", "great").post(pr + "/flag").then().statusCode(400).body("error", containsString("canceled"));
        form(alice).formParam("username", "Jenkins").formParam("comment", "c").formParam("url", "https://x")
                .formParam("uid", "x".repeat(33)).post(pr + "/flag").then().statusCode(400).body("error", containsString("32"));
        given().auth().oauth2(alice).get(pr + "/flag").then().statusCode(200).body("total_flags", equalTo(1))
                .body("flags[0].comment", equalTo("Tests passed")).body("flags[0].commit_hash", equalTo(head))
                .body("flags[0].user.name", equalTo("alice")).body("flags[0].user.fullname", equalTo("Alice Liddell"))
                .body("flags[0].user.default_email", equalTo("alice@example.com"))
                .body("flags[0].user.emails", equalTo(List.of("alice@example.com")));

        form(outsider).post(pr + "/close").then().statusCode(403).body("error_code", equalTo("ENOPRCLOSE"));
        form(bob).post(pr + "/close").then().statusCode(200).body("message", equalTo("Pull-request closed!"));
        given().auth().oauth2(alice).get(pr).then().body("status", equalTo("Closed")).body("closed_by.name", equalTo("bob"))
                .body("closed_at", matchesPattern("\\d{10}"));
        given().auth().oauth2(alice).get(isurus + "/pulls/" + id).then().body("data.status", equalTo("closed"));
        given().auth().oauth2(alice).queryParam("status", "0").get(pagure + "/pull-requests").then().body("requests.id", contains(id));
    }

    /**
     * The instance-wide Pagure lists name no repository, so the gateway cannot guard them: once the
     * repository turns private (a repo.updated event), its pull requests and issues leave every such
     * list and the uid lookup for non-members, and stay in them for members.
     */
    @Test
    void privateRepositoryLeavesCrossRepositoryListsForNonMembers() {
        int id = open("feature", "Hidden work");
        String uid = given().auth().oauth2(alice).get(pagure + "/pull-request/" + id).then().statusCode(200).extract().path("uid");
        form(alice).formParam("title", "Hidden issue").formParam("issue_content", "x").formParam("assignee", "bob")
                .post(pagure + "/new_issue").then().statusCode(200);
        // what the repo.updated handler does when the repository is made private
        pool.withTransaction(tx -> records.upsert(tx, new RepoInfo(repoId, "acme", "repo" + repoId, true, "main")))
                .await().atMost(Duration.ofSeconds(10));

        given().auth().oauth2(outsider).queryParam("status", "all").get("/api/0/user/alice/requests/filed").then().statusCode(200)
                .body("requests.title", not(hasItem("Hidden work")));
        given().auth().oauth2(outsider).get("/api/0/user/bob/requests/actionable").then().statusCode(200)
                .body("requests.title", not(hasItem("Hidden work")));
        given().auth().oauth2(outsider).get("/api/0/pull-requests/" + uid).then().statusCode(404).body("error_code", equalTo("ENOREQ"));
        given().auth().oauth2(outsider).queryParam("per_page", "100").get("/api/0/user/alice/issues").then().statusCode(200)
                .body("issues_created.title", not(hasItem("Hidden issue")));
        given().auth().oauth2(outsider).queryParam("per_page", "100").get("/api/0/user/bob/issues").then().statusCode(200)
                .body("issues_assigned.title", not(hasItem("Hidden issue")));

        // bob is a member of acme
        given().auth().oauth2(bob).queryParam("status", "all").get("/api/0/user/alice/requests/filed").then().statusCode(200)
                .body("requests.title", hasItem("Hidden work"));
        given().auth().oauth2(bob).get("/api/0/user/bob/requests/actionable").then().statusCode(200)
                .body("requests.title", hasItem("Hidden work"));
        given().auth().oauth2(bob).get("/api/0/pull-requests/" + uid).then().statusCode(200).body("title", equalTo("Hidden work"));
        given().auth().oauth2(bob).queryParam("per_page", "100").get("/api/0/user/alice/issues").then().statusCode(200)
                .body("issues_created.title", hasItem("Hidden issue"));
    }

    @Test
    void mergeRebaseAndUserRequests() {
        int id = open("feature", "Add app");
        form(outsider).post(pagure + "/pull-request/" + id + "/merge").then().statusCode(403)
                .body("error_code", equalTo("ENOTHIGHENOUGH"));
        form(alice).post(pagure + "/pull-request/" + id + "/merge").then().statusCode(200)
                .body("message", equalTo("Changes merged!"));
        assertThat(git.read(repoId, "main", "src/app.txt")).isEqualTo("one\ntwo\n");
        given().auth().oauth2(alice).get(pagure + "/pull-request/" + id).then().body("status", equalTo("Merged"))
                .body("closed_by.name", equalTo("alice"));
        given().auth().oauth2(alice).get(isurus + "/pulls/" + id).then().body("data.status", equalTo("merged"));
        form(alice).post(pagure + "/pull-request/" + id + "/merge").then().statusCode(409);

        // rebase: main moves on, the PR branch is replayed on top of it
        git.commit(repoId, "topic", Map.of("topic.txt", "t\n"), "topic work");
        git.commit(repoId, "main", Map.of("later.txt", "l\n"), "later on main");
        int topic = open("topic", "Topic");
        form(alice).post(pagure + "/pull-request/" + topic + "/rebase").then().statusCode(200)
                .body("message", equalTo("Pull-request rebased"));
        String newHead = git.head(repoId, "topic");
        assertThat(git.read(repoId, "topic", "later.txt")).isEqualTo("l\n");
        given().auth().oauth2(alice).get(pagure + "/pull-request/" + topic).then().body("commit_stop", equalTo(newHead));

        // a conflicting pull request: Pagure's conflict code, the PR stays open
        git.commit(repoId, "clash", Map.of("README.md", "theirs\n"), "clash");
        git.commit(repoId, "main", Map.of("README.md", "ours\n"), "ours");
        int clash = open("clash", "Clash");
        form(alice).post(pagure + "/pull-request/" + clash + "/merge").then().statusCode(409)
                .body("error_code", equalTo("EPRCONFLICTS"));
        given().auth().oauth2(alice).get(pagure + "/pull-request/" + clash).then().body("status", equalTo("Open"));

        given().auth().oauth2(outsider).queryParam("status", "all").get("/api/0/user/alice/requests/filed").then().statusCode(200)
                .body("requests.title", hasItem("Topic")).body("requests.title", hasItem("Add app"))
                .body("args.username", equalTo("alice")).body("$", hasKey("pagination")).body("$", hasKey("total_requests"));
        given().auth().oauth2(outsider).get("/api/0/user/alice/requests/filed").then()
                .body("requests.title", not(hasItem("Add app"))).body("requests.title", hasItem("Topic"));
        // bob is a member of acme and did not open these: he can act on them; mallory is not a member
        given().auth().oauth2(outsider).get("/api/0/user/bob/requests/actionable").then().statusCode(200)
                .body("requests.title", hasItem("Clash"));
        given().auth().oauth2(outsider).get("/api/0/user/mallory/requests/actionable").then().statusCode(200)
                .body("total_requests", equalTo(0));
        given().auth().oauth2(outsider).get("/api/0/user/ghost/requests/filed").then().statusCode(404)
                .body("error_code", equalTo("ENOUSER"));
        given().auth().oauth2(outsider).queryParam("created", "tomorrow").get("/api/0/user/alice/requests/filed").then()
                .statusCode(400).body("error_code", equalTo("ETIMESTAMP"));
        given().auth().oauth2(outsider).queryParam("created", "2000-01-01..").get("/api/0/user/alice/requests/filed").then()
                .statusCode(200).body("requests.title", hasItem("Topic"));
        given().auth().oauth2(outsider).queryParam("created", "..2000-01-01").get("/api/0/user/alice/requests/filed").then()
                .statusCode(200).body("total_requests", equalTo(0));
    }
}
