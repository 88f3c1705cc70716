package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.outbox.Outbox;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The gateway answers repeated requests from memory (tokens, roles, the repository directory, minted
 * internal tokens). Each test first makes the answer cached by asking twice, then changes what it
 * was made of, and expects the very next request to see the change: through the gateway's own write
 * (revoke, deactivate, remove a member) at once, through a {@code repo.updated} event as soon as it
 * is delivered.
 */
@QuarkusTest
@GatewayTestResources
class CacheInvalidationTest {

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Test
    void aRevokedTokenIsRefusedOnTheNextRequest() {
        RepoFixture.OwnedSite site = RepoFixture.ownedSite(pool, outbox, "rita", "revoke");
        String user = Api.unique("ron");
        Api.createUser(user);
        String token = Api.tokenFor(user, "write");
        cached(token, "/api/v1/repos/" + site.org() + "/site", 200);
        int tokenId = as(token).get("/api/v1/user/tokens").then().statusCode(200).extract().path("data[0].id");

        as(token).delete("/api/v1/user/tokens/" + tokenId).then().statusCode(204);

        as(token).get("/api/v1/repos/" + site.org() + "/site").then().statusCode(401)
                .body("error.code", equalTo("unauthorized"))
                .body("error.message", equalTo("the token is not valid: it is mistyped or has been revoked; create a new token"));
        as(token).get("/api/v1/user").then().statusCode(401);
    }

    @Test
    void aDeactivatedUsersTokenIsRefusedOnTheNextRequest() {
        RepoFixture.OwnedSite site = RepoFixture.ownedSite(pool, outbox, "dora", "deact");
        String user = Api.unique("dirk");
        Api.createUser(user);
        String token = Api.tokenFor(user, "read");
        cached(token, "/api/v1/repos/" + site.org() + "/site", 200);

        as(ADMIN_TOKEN).delete("/api/v1/admin/users/" + user).then().statusCode(204);

        as(token).get("/api/v1/repos/" + site.org() + "/site").then().statusCode(401)
                .body("error.message", equalTo("the token's user account is deactivated; a site administrator can reactivate it"));
    }

    @Test
    void aRemovedMemberNoLongerSeesThePrivateRepository() {
        String owner = Api.unique("mona");
        String member = Api.unique("mick");
        Api.createUser(owner);
        Api.createUser(member);
        String ownerToken = Api.tokenFor(owner, "admin");
        String memberToken = Api.tokenFor(member, "read");
        String org = Api.unique("members");
        Api.createOrg(ownerToken, org);
        long orgId = ((Number) as(null).get("/api/v1/orgs/" + org).then().extract().path("data.id")).longValue();
        RepoFixture.announce(pool, outbox, orgId, org, "secret", true, ownerToken);
        Api.addMember(ownerToken, org, member, "member");
        cached(memberToken, "/api/v1/repos/" + org + "/secret", 200);
        cached(memberToken, "/api/v1/repos/" + org + "/secret/issues", 200);

        as(ownerToken).delete("/api/v1/orgs/" + org + "/members/" + member).then().statusCode(204);

        as(memberToken).get("/api/v1/repos/" + org + "/secret").then().statusCode(404)
                .body("error.code", equalTo("not_found")).body("error.message", equalTo("repository not found"));
        as(memberToken).get("/api/v1/repos/" + org + "/secret/issues").then().statusCode(404);
        as(ownerToken).get("/api/v1/repos/" + org + "/secret").then().statusCode(200);
    }

    @Test
    void aRepositoryTurnedPrivateIsHiddenFromOutsidersOnceItsEventArrives() {
        RepoFixture.OwnedSite site = RepoFixture.ownedSite(pool, outbox, "pia", "priv");
        String outsider = Api.unique("otto");
        Api.createUser(outsider);
        String outsiderToken = Api.tokenFor(outsider, "read");
        long orgId = ((Number) as(null).get("/api/v1/orgs/" + site.org()).then().extract().path("data.id")).longValue();
        long repoId = RepoFixture.announce(pool, outbox, orgId, site.org(), "soon-private", false, site.ownerToken());
        String path = "/api/v1/repos/" + site.org() + "/soon-private";
        cached(outsiderToken, path, 200);
        cached(null, path, 200);

        RepoChanged now = new RepoChanged(repoId, orgId, site.org(), "soon-private", "", true, "main");
        pool.withTransaction(tx -> outbox.append(tx, EventTypes.REPO_UPDATED, new EventEnvelope.Actor(1L, "admin"),
                new EventEnvelope.RepoRef(repoId, site.org(), "soon-private", true), now, repoId))
                .await().atMost(Duration.ofSeconds(10));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> as(outsiderToken).get(path).statusCode() == 404);
        // Exactly what a repository that does not exist answers: its existence does not leak.
        as(outsiderToken).get(path).then().statusCode(404).body("error.message", equalTo("repository not found"));
        as(outsiderToken).get("/api/v1/repos/" + site.org() + "/never-was").then().statusCode(404)
                .body("error.message", equalTo("repository not found"));
        as(null).get(path).then().statusCode(404);
        as(site.ownerToken()).get(path).then().statusCode(200).body("echo.claims.role", equalTo("owner"));
    }

    /** Asks twice, so that the second answer comes from the gateway's caches. */
    private static void cached(String token, String path, int status) {
        as(token).get(path).then().statusCode(status);
        as(token).get(path).then().statusCode(status);
    }
}
