package dev.shoal.gateway;

import static dev.shoal.gateway.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.shoal.platform.outbox.Outbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Woodpecker's numeric-id routes and the organization routes the gateway answers itself. */
@QuarkusTest
@GatewayTestResources
class WoodpeckerGatewayTest {

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Test
    void repositoriesAndOrganizationsByNumericId() {
        String owner = Api.unique("wanda");
        String outsider = Api.unique("oscar");
        Api.createUser(owner);
        Api.createUser(outsider);
        String ownerToken = Api.tokenFor(owner, "admin");
        String outsiderToken = Api.tokenFor(outsider, "admin");
        String org = Api.unique("wood");
        Api.createOrg(ownerToken, org);
        long orgId = ((Number) as(null).get("/api/v1/orgs/" + org).then().extract().path("data.id")).longValue();
        long repoId = RepoFixture.announce(pool, outbox, orgId, org, "secret-app", true, ownerToken);

        // Forwarded with the repository resolved from its id, as for /{org}/{repo} routes.
        as(ownerToken).get("/api/repos/" + repoId + "/pipelines?branch=main").then().statusCode(200)
                .body("echo.path", equalTo("/api/repos/" + repoId + "/pipelines"))
                .body("echo.query", equalTo("branch=main"))
                .body("echo.claims.repo_id", equalTo(repoId))
                .body("echo.claims.org_id", equalTo((int) orgId))
                .body("echo.claims.role", equalTo("owner"));
        // A private repository is hidden from outsiders exactly like a missing one.
        as(outsiderToken).get("/api/repos/" + repoId).then().statusCode(404).body("error.message", equalTo("repository not found"));
        as(null).get("/api/badges/" + repoId + "/status.svg").then().statusCode(404);
        as(ownerToken).get("/api/repos/123456789").then().statusCode(404).body("error.message", equalTo("repository not found"));
        // Non-numeric or oversized ids match no Woodpecker line (and never reach a parser).
        as(ownerToken).get("/api/repos/abc/pipelines").then().statusCode(404).body("error.code", equalTo("not_found"));
        as(ownerToken).get("/api/repos/99999999999999999999").then().statusCode(404).body("error.code", equalTo("not_found"));
        as(ownerToken).get("/api/repos/lookup/" + org + "/secret-app").then().statusCode(200)
                .body("echo.claims.repo_id", equalTo(repoId));
        as(outsiderToken).get("/api/repos/lookup/" + org + "/secret-app").then().statusCode(404);

        // Organizations, answered here.
        JsonPath view = as(ownerToken).get("/api/orgs/" + orgId).then().statusCode(200)
                .body("id", equalTo((int) orgId)).body("name", equalTo(org)).body("forge_id", equalTo(1))
                .body("is_user", equalTo(false)).extract().jsonPath();
        assertThat(view.getMap("").keySet()).containsExactlyInAnyOrder("id", "forge_id", "name", "is_user");
        as(null).get("/api/orgs/lookup/" + org).then().statusCode(200).body("id", equalTo((int) orgId));
        as(ownerToken).get("/api/orgs/" + orgId + "/permissions").then().statusCode(200)
                .body("member", equalTo(true)).body("admin", equalTo(true));
        as(outsiderToken).get("/api/orgs/" + orgId + "/permissions").then().statusCode(200)
                .body("member", equalTo(false)).body("admin", equalTo(false));
        as(ownerToken).get("/api/orgs").then().statusCode(200).body("name", hasItem(org));
        as(outsiderToken).get("/api/orgs").then().statusCode(200).body("name", not(hasItem(org)));
        as(ownerToken).get("/api/orgs/987654321").then().statusCode(404);
        as(ownerToken).get("/api/orgs/lookup/no-such-org-x").then().statusCode(404);
        // Organization secrets go to pipeline-service for owners only.
        as(ownerToken).get("/api/orgs/" + orgId + "/secrets").then().statusCode(200)
                .body("echo.claims.org_id", equalTo((int) orgId));
        as(outsiderToken).get("/api/orgs/" + orgId + "/secrets").then().statusCode(403);
    }
}
