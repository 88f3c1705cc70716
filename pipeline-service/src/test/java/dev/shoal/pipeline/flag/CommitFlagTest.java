package dev.shoal.pipeline.flag;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.pipeline.support.UserDirectoryDouble;
import dev.shoal.platform.client.UserDirectory;
import dev.shoal.platform.identity.InternalTokens;
import dev.shoal.platform.testing.InternalKeys;
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

/** Commit flags through Pagure's form-encoded API and the internal API issue-service uses for pull request flags. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class CommitFlagTest {

    @Inject
    Fixtures fixtures;

    @Inject
    InternalTokens tokens;

    @Inject
    UserDirectoryDouble users;

    Repo repo;
    String sha;
    String base;
    String token;

    @BeforeEach
    void setUp() {
        repo = fixtures.repo("flags", "repo" + System.nanoTime());
        sha = GitRepos.commit(repo, "main", Map.of("README.md", "hi\n"));
        base = "/api/0/" + repo.org() + "/" + repo.name() + "/c/";
        token = InternalKeys.shared().userToken(7, "jenkins-bot", List.of("read", "write"), 77L, repo.id(), "member");
    }

    RequestSpecification form() {
        return given().auth().oauth2(token).contentType(ContentType.URLENC);
    }

    @Test
    void addUpdateAndListFlagsOfACommit() {
        String uid = form().formParam("username", "Jenkins").formParam("comment", "Tests running")
                .formParam("url", "https://ci.example.com/42").formParam("status", "pending").formParam("percent", "10")
                .post(base + sha + "/flag").then().statusCode(200)
                .body("message", equalTo("Flag added"))
                .body("uid", matchesPattern("[0-9a-f]{32}"))
                .body("flag.commit_hash", equalTo(sha))
                .body("flag.username", equalTo("Jenkins"))
                .body("flag.comment", equalTo("Tests running"))
                .body("flag.status", equalTo("pending"))
                .body("flag.percent", equalTo(10))
                .body("flag.url", equalTo("https://ci.example.com/42"))
                .body("flag.user.name", equalTo("jenkins-bot"))
                .body("flag.date_created", matchesPattern("\\d{10}"))
                .extract().path("uid");
        // the same uid updates; an abbreviated sha names the same commit
        form().formParam("username", "Jenkins").formParam("comment", "Tests passed").formParam("url", "https://ci.example.com/42")
                .formParam("status", "success").formParam("percent", "100").formParam("uid", uid)
                .post(base + sha.substring(0, 12) + "/flag").then().statusCode(200)
                .body("message", equalTo("Flag updated")).body("uid", equalTo(uid)).body("flag.status", equalTo("success"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("username", "Lint", "comment", "2 warnings", "url", "https://lint.example.com", "status", "failure",
                        "uid", "lint-1"))
                .post(base + sha + "/flag").then().statusCode(200).body("uid", equalTo("lint-1")).body("flag.percent", nullValue());

        given().auth().oauth2(token).get(base + sha + "/flag").then().statusCode(200)
                .body("total_flags", equalTo(2))
                .body("flags.username", contains("Jenkins", "Lint"))
                .body("flags.status", contains("success", "failure"))
                .body("flags[0].commit_hash", equalTo(sha));

        // the internal API sees the same flags (issue-service's pull request flags)
        String service = InternalKeys.shared().serviceToken("issue-service", "pipeline-service");
        given().auth().oauth2(service).get("/internal/repos/" + repo.id() + "/commits/" + sha + "/flags").then().statusCode(200)
                .body("data.uid", contains(uid, "lint-1"));
        given().auth().oauth2(service).contentType(ContentType.JSON)
                .body(Map.of("uid", "lint-1", "username", "Lint", "comment", "clean", "url", "https://lint.example.com",
                        "status", "success", "user_id", 9, "user_login", "carol"))
                .post("/internal/repos/" + repo.id() + "/commits/" + sha + "/flags").then().statusCode(200)
                .body("data.created", equalTo(false)).body("data.flag.status", equalTo("success"))
                .body("data.flag.user_login", equalTo("carol"));
    }

    @Test
    void aFlagShowsItsAuthorsFullName() {
        users.register(new UserDirectory.User(7, "jenkins-bot", "ci@example.com", "Jenkins the Butler", false, null, null));
        form().formParam("username", "Jenkins").formParam("comment", "ok").formParam("url", "https://ci.example.com/1")
                .formParam("status", "success").post(base + sha + "/flag").then().statusCode(200)
                .body("flag.user.name", equalTo("jenkins-bot"))
                .body("flag.user.fullname", equalTo("Jenkins the Butler"));
        // a flag set through the internal API by a user the directory does not know shows the login
        given().auth().oauth2(InternalKeys.shared().serviceToken("issue-service", "pipeline-service")).contentType(ContentType.JSON)
                .body(Map.of("username", "Lint", "comment", "clean", "url", "https://lint.example.com", "status", "success",
                        "user_id", 9, "user_login", "carol"))
                .post("/internal/repos/" + repo.id() + "/commits/" + sha + "/flags").then().statusCode(200);
        given().auth().oauth2(token).get(base + sha + "/flag").then().statusCode(200)
                .body("flags.user.name", contains("jenkins-bot", "carol"))
                .body("flags.user.fullname", contains("Jenkins the Butler", "carol"));
    }

    @Test
    void refusesBadFlagsAndUnknownCommitsInPagureShape() {
        form().formParam("comment", "c").formParam("url", "https://x").formParam("status", "success")
                .post(base + sha + "/flag").then().statusCode(400)
                .body("error_code", equalTo("EINVALIDREQ")).body("error", containsString("username"));
        form().formParam("username", "u").formParam("comment", "c").formParam("url", "https://x").formParam("status", "great")
                .post(base + sha + "/flag").then().statusCode(400).body("error", containsString("canceled"));
        form().formParam("username", "u").formParam("comment", "c").formParam("url", "https://x")
                .post(base + sha + "/flag").then().statusCode(400).body("error", containsString("status"));
        form().formParam("username", "u").formParam("comment", "c").formParam("url", "javascript:alert(1)").formParam("status", "error")
                .post(base + sha + "/flag").then().statusCode(400).body("error", containsString("url"));
        form().formParam("username", "u").formParam("comment", "c").formParam("url", "https://x").formParam("status", "error")
                .formParam("percent", "150").post(base + sha + "/flag").then().statusCode(400).body("error", containsString("percent"));
        form().formParam("username", "u").formParam("comment", "c").formParam("url", "https://x").formParam("status", "error")
                .formParam("percent", "lots").post(base + sha + "/flag").then().statusCode(400);
        form().formParam("username", "u").formParam("comment", "c").formParam("url", "https://x").formParam("status", "error")
                .formParam("uid", "u".repeat(33)).post(base + sha + "/flag").then().statusCode(400).body("error", containsString("uid"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{oops").post(base + sha + "/flag").then().statusCode(400)
                .body("error_code", equalTo("EINVALIDREQ"));
        given().auth().oauth2(token).get(base + "0123456789abcdef0123456789abcdef01234567/flag").then().statusCode(404)
                .body("error_code", equalTo("ENOCOMMIT"));
        given().auth().oauth2(token).get(base + "main/flag").then().statusCode(404).body("error_code", equalTo("ENOCOMMIT"));
        given().auth().oauth2(token).get(base + "..%2F..%2Fetc/flag").then().statusCode(404);
    }
}
