package dev.shoal.repo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.RepoStorageResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ADR 0006 at repo-service's door: only the gateway's key vouches for users and site admins; a
 * service's own key says "service X" and nothing more; every token is addressed to one service;
 * the repository a token vouches for is the one in the path; a token is verified once.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class TrustBoundaryTest {

    private static final InternalKeys KEYS = InternalKeys.shared();
    private static final Map<String, Object> SITE_ADMIN = Map.of("kind", "user", "uid", 1, "login", "root",
            "site_admin", true, "scopes", List.of("read", "write", "admin"), "role", "owner");

    @Inject
    MeterRegistry registry;

    private static long privateRepo(String org, String name) {
        return Fixtures.createRepo(Fixtures.owner(31), org, name, true);
    }

    @Test
    void anotherServicesKeyCannotMakeASiteAdmin() {
        String org = Fixtures.uniqueOrg("trust");
        privateRepo(org, "vault");
        String path = "/api/v1/repos/" + org + "/vault";
        // the gateway's key may vouch for a site admin
        given().auth().oauth2(KEYS.token("api-gateway", "1", "repo-service", SITE_ADMIN, 600)).get(path)
                .then().statusCode(200).body("data.name", equalTo("vault"));
        // webhook-service (it talks to user-supplied URLs) claiming one, in every shape: not trusted here at all
        for (String forged : List.of(
                KEYS.token("webhook-service", "1", "repo-service", SITE_ADMIN, 600),
                KEYS.token("webhook-service", "webhook-service", "repo-service",
                        Map.of("kind", "service", "login", "webhook-service", "site_admin", true), 600),
                KEYS.serviceToken("webhook-service", "repo-service"))) {
            given().auth().oauth2(forged).get(path).then().statusCode(401).body("error.code", equalTo("unauthorized"));
        }
        // issue-service is trusted here, but its key says only "issue-service": claiming a user is refused
        for (String forged : List.of(
                KEYS.token("issue-service", "1", "repo-service", SITE_ADMIN, 600),
                KEYS.token("issue-service", "issue-service", "repo-service",
                        Map.of("kind", "service", "login", "issue-service", "site_admin", true), 600),
                KEYS.token("issue-service", "issue-service", "repo-service",
                        Map.of("kind", "service", "login", "issue-service", "repo_id", 1, "role", "owner"), 600))) {
            given().auth().oauth2(forged).get(path).then().statusCode(401).body("error.code", equalTo("unauthorized"));
        }
        // and its plain service token is no user: a private repository stays hidden
        given().auth().oauth2(KEYS.serviceToken("issue-service", "repo-service")).get(path)
                .then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void servicesCallInternalEndpointsWithTheirOwnToken() {
        String org = Fixtures.uniqueOrg("internal");
        long id = privateRepo(org, "inner");
        given().auth().oauth2(KEYS.serviceToken("issue-service", "repo-service")).get("/internal/repos/" + id)
                .then().statusCode(200).body("data.name", equalTo("inner"));
        given().auth().oauth2(KEYS.serviceToken("pipeline-service", "repo-service")).get("/internal/repos/" + id)
                .then().statusCode(200).body("data.name", equalTo("inner"));
        given().auth().oauth2(KEYS.serviceToken("webhook-service", "repo-service")).get("/internal/repos/" + id)
                .then().statusCode(401).body("error.code", equalTo("unauthorized"));
    }

    @Test
    void aTokenIsForOneAudience() {
        String org = Fixtures.uniqueOrg("aud");
        privateRepo(org, "aimed");
        String path = "/api/v1/repos/" + org + "/aimed";
        given().auth().oauth2(KEYS.token("api-gateway", "1", "issue-service", SITE_ADMIN, 600)).get(path)
                .then().statusCode(401).body("error.code", equalTo("unauthorized"));
        given().auth().oauth2(KEYS.serviceToken("issue-service", "pipeline-service")).get("/internal/repos/by-name/" + org + "/aimed")
                .then().statusCode(401);
        // nor is one whose audience is empty
        given().auth().oauth2(KEYS.token("api-gateway", "1", "", SITE_ADMIN, 600)).get(path).then().statusCode(401);
    }

    @Test
    void aTokenForOneRepositoryFindsNothingOnAnothersPath() {
        String org = Fixtures.uniqueOrg("pathx");
        long mine = privateRepo(org, "mine");
        long theirs = privateRepo(org, "theirs");
        String forMine = KEYS.token("api-gateway", "1", "repo-service", Map.of("kind", "user", "uid", 1, "login", "ada",
                "site_admin", false, "scopes", List.of("read", "write", "admin"), "role", "owner", "org_id", 31, "repo_id", mine), 600);
        given().auth().oauth2(forMine).get("/api/v1/repos/" + org + "/mine").then().statusCode(200).body("data.id", equalTo((int) mine));
        given().auth().oauth2(forMine).get("/api/v1/repos/" + org + "/theirs").then().statusCode(404)
                .body("error.code", equalTo("not_found")).body("error.message", equalTo("Repository not found"));
        // the organization too: a token for another org's context does not open this one
        String otherOrg = KEYS.token("api-gateway", "1", "repo-service", Map.of("kind", "user", "uid", 1, "login", "ada",
                "site_admin", false, "scopes", List.of("read"), "role", "owner", "org_id", 32), 600);
        given().auth().oauth2(otherOrg).get("/api/v1/repos/" + org + "/theirs").then().statusCode(404);
        assertThat(theirs).isNotEqualTo(mine);
    }

    @Test
    void eachTokenIsVerifiedOnce() {
        String org = Fixtures.uniqueOrg("once");
        privateRepo(org, "cached");
        String token = KEYS.token("api-gateway", "1", "repo-service", SITE_ADMIN, 600);
        double hits = count("hit");
        double misses = count("miss");
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(token).get("/api/v1/repos/" + org + "/cached").then().statusCode(200);
        }
        assertThat(count("miss") - misses).isEqualTo(1.0);
        assertThat(count("hit") - hits).isGreaterThanOrEqualTo(4.0);
        // the counters are exported with the other metrics
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("shoal_internal_jwt_verifications_total"));
    }

    private double count(String result) {
        return registry.counter("shoal.internal_jwt.verifications", "result", result).count();
    }
}
