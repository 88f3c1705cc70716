package dev.shoal.issue;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.issue.support.TestCallers;
import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ADR 0006 at issue-service's door: it trusts the gateway's key only, every token names it as
 * audience, and a token vouching for one repository finds nothing on another's path.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "issue_test"))
class TrustBoundaryTest {

    private static final InternalKeys KEYS = InternalKeys.shared();

    @Test
    void aTokenForOneRepositoryFindsNothingOnAnothersPath() {
        long mine = TestCallers.newRepoId();
        long theirs = TestCallers.newRepoId();
        String forMine = TestCallers.owner(11, "alice", mine);
        given().auth().oauth2(forMine).contentType(ContentType.JSON).body(Map.of("title", "mine only", "body", "b"))
                .post("/api/v1/repos/acme/repo" + mine + "/issues").then().statusCode(201);
        given().auth().oauth2(TestCallers.owner(11, "alice", theirs)).contentType(ContentType.JSON)
                .body(Map.of("title", "theirs", "body", "b")).post("/api/v1/repos/acme/repo" + theirs + "/issues").then().statusCode(201);
        given().auth().oauth2(forMine).get("/api/v1/repos/acme/repo" + mine + "/issues?state=new").then().statusCode(200)
                .body("data.title", contains("mine only"));
        // the same token on the other repository's path: not found, rather than this repository's issues under that name
        given().auth().oauth2(forMine).get("/api/v1/repos/acme/repo" + theirs + "/issues?state=new").then().statusCode(404)
                .body("error.code", equalTo("not_found"));
        given().auth().oauth2(forMine).get("/api/v1/repos/acme/repo" + theirs + "/issues/1").then().statusCode(404);
    }

    @Test
    void onlyTheGatewayVouchesForUsersAndOnlyToThisService() {
        long repo = TestCallers.newRepoId();
        String path = "/api/v1/repos/acme/repo" + repo + "/issues";
        Map<String, Object> siteAdmin = Map.of("kind", "user", "uid", 1, "login", "root", "site_admin", true,
                "scopes", List.of("read", "write", "admin"), "role", "owner", "org_id", 1, "repo_id", repo);
        given().auth().oauth2(KEYS.token("api-gateway", "1", "issue-service", siteAdmin, 600)).get(path).then().statusCode(200);
        for (String refused : List.of(
                KEYS.token("webhook-service", "1", "issue-service", siteAdmin, 600),   // another service's key
                KEYS.token("repo-service", "1", "issue-service", siteAdmin, 600),
                KEYS.serviceToken("webhook-service", "issue-service"),
                KEYS.token("api-gateway", "1", "repo-service", siteAdmin, 600))) {     // for another audience
            given().auth().oauth2(refused).get(path).then().statusCode(401).body("error.code", equalTo("unauthorized"));
        }
    }
}
