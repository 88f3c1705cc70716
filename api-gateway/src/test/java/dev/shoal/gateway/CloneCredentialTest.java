package dev.shoal.gateway;

import static dev.shoal.gateway.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.identity.InternalTokens;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.testing.InternalKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The clone credential of a pipeline fetches its one repository, private included, and does nothing else. */
@QuarkusTest
@GatewayTestResources
class CloneCredentialTest {

    private static String org;
    private static long privateRepo;
    private static long otherRepo;

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    /** pipeline-service mints clone credentials with its own key (ADR 0006). */
    private final InternalTokens tokens = tokensOf("pipeline-service");

    private static InternalTokens tokensOf(String service) {
        return new InternalTokens(java.util.Optional.of(InternalKeys.shared().privatePem(service).toString()), service);
    }

    @BeforeEach
    void setUp() {
        if (org != null) {
            return;
        }
        String owner = Api.unique("cora");
        Api.createUser(owner);
        String ownerToken = Api.tokenFor(owner, "admin");
        org = Api.unique("clone");
        Api.createOrg(ownerToken, org);
        long orgId = ((Number) as(null).get("/api/v1/orgs/" + org).then().extract().path("data.id")).longValue();
        privateRepo = RepoFixture.announce(pool, outbox, orgId, org, "secret", true, ownerToken);
        otherRepo = RepoFixture.announce(pool, outbox, orgId, org, "other", true, ownerToken);
    }

    @Test
    void fetchesThePrivateRepositoryItWasMintedFor() {
        String credential = tokens.forClone(privateRepo, 41, Duration.ofMinutes(5));
        given().auth().preemptive().basic("shoal-ci", credential)
                .get("/" + org + "/secret.git/info/refs?service=git-upload-pack")
                .then().statusCode(200)
                .body("echo.claims.kind", equalTo("agent"))
                .body("echo.claims.repo_id", equalTo(privateRepo))
                .body("echo.claims.role", equalTo("member"))
                .body("echo.claims.scopes", equalTo(java.util.List.of("read")));
        given().auth().preemptive().basic("anyone", credential).contentType("application/x-git-upload-pack-request")
                .body(new byte[] {1, 2, 3}).post("/" + org + "/secret.git/git-upload-pack")
                .then().statusCode(200);
    }

    @Test
    void isRefusedForAnotherRepositoryForPushesAndForTheApi() {
        String credential = tokens.forClone(otherRepo, 42, Duration.ofMinutes(5));
        given().auth().preemptive().basic("shoal-ci", credential)
                .get("/" + org + "/secret.git/info/refs?service=git-upload-pack")
                .then().statusCode(404);
        given().auth().preemptive().basic("shoal-ci", credential)
                .get("/" + org + "/other.git/info/refs?service=git-receive-pack")
                .then().statusCode(401).body("error.code", equalTo("unauthorized"));
        as(credential).get("/api/v1/repos/" + org + "/other").then().statusCode(401);
    }

    @Test
    void expiredOrForeignCredentialsAreRefusedWithAReason() {
        String expired = tokens.forClone(privateRepo, 43, Duration.ofSeconds(-120));
        given().auth().preemptive().basic("shoal-ci", expired)
                .get("/" + org + "/secret.git/info/refs?service=git-upload-pack")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Basic"))
                .body("error.message", containsString("clone credential"));
        // Only pipeline-service's key mints clone credentials: the same claims signed by another
        // service (repo-service parses untrusted packs) or by the gateway itself are refused.
        for (String other : java.util.List.of("repo-service", "api-gateway", "webhook-service")) {
            given().auth().preemptive().basic("shoal-ci", tokensOf(other).forClone(privateRepo, 44, Duration.ofMinutes(5)))
                    .get("/" + org + "/secret.git/info/refs?service=git-upload-pack")
                    .then().statusCode(401);
        }
        // A service token of pipeline-service is not a clone credential either.
        given().auth().preemptive().basic("shoal-ci", InternalKeys.shared().serviceToken("pipeline-service", "api-gateway"))
                .get("/" + org + "/secret.git/info/refs?service=git-upload-pack")
                .then().statusCode(401);
        // An internal token of the gateway's own issuer is not a clone credential.
        String internal = InternalKeys.shared().userToken(1, "admin", java.util.List.of("read"), null, privateRepo, "owner");
        given().auth().preemptive().basic("shoal-ci", internal)
                .get("/" + org + "/secret.git/info/refs?service=git-upload-pack")
                .then().statusCode(401);
    }
}
