package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.shoal.platform.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@GatewayTestResources
class IdentityApiTest {

    @Inject
    Pool pool;

    @Test
    void currentUserHasTheSeedsFields() {
        as(ADMIN_TOKEN).get("/api/v1/user").then().statusCode(200)
                .body("data.username", equalTo("admin"))
                .body("data.is_admin", equalTo(true))
                .body("data", hasKey("id")).body("data", hasKey("email")).body("data", hasKey("display_name"))
                .body("data", hasKey("avatar_url"))
                .body("data", not(hasKey("is_active")))
                .body("data.size()", equalTo(7))
                .body("data.created_at", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    }

    @Test
    void tokenIsShownOnceStoredHashedAndWorksUntilRevoked() throws Exception {
        String user = Api.unique("tina");
        Api.createUser(user);
        String first = Api.tokenFor(user, "read", "write");
        Map<String, Object> created = as(first).body(Map.of("name", "CI Pipeline", "scopes", List.of("read")))
                .post("/api/v1/user/tokens").then().statusCode(201)
                .body("data.name", equalTo("CI Pipeline"))
                .body("data.scopes", equalTo(List.of("read")))
                .body("data.token", matchesPattern("shoal_pat_[0-9A-Za-z]{40}"))
                .extract().path("data");
        String plaintext = (String) created.get("token");
        int id = (Integer) created.get("id");

        as(plaintext).get("/api/v1/user").then().statusCode(200).body("data.username", equalTo(user));
        as(plaintext).get("/api/v1/user/tokens").then().statusCode(200)
                .body("data.name", hasItem("CI Pipeline"))
                .body("data[0]", not(hasKey("token")))
                .body("pagination.total", equalTo(2));

        byte[] stored = pool.preparedQuery("SELECT token_hash FROM api_tokens WHERE id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of((long) id)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getBuffer(0).getBytes();
        assertThat(stored).isEqualTo(MessageDigest.getInstance("SHA-256").digest(plaintext.getBytes(StandardCharsets.UTF_8)));
        assertThat(pool.query("SELECT count(*) FROM api_tokens WHERE name = 'CI Pipeline' AND last_eight = '"
                + plaintext.substring(42) + "'").execute().await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0)).isOne();

        as(plaintext).delete("/api/v1/user/tokens/" + id).then().statusCode(204);
        as(plaintext).get("/api/v1/user").then().statusCode(401).body("error.code", equalTo("unauthorized"));
        as(first).delete("/api/v1/user/tokens/" + id).then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void tokenCannotBeStrongerThanTheOneCreatingIt() {
        String user = Api.unique("rita");
        Api.createUser(user);
        String read = Api.tokenFor(user, "read");
        as(read).body(Map.of("name", "escalate", "scopes", List.of("admin"))).post("/api/v1/user/tokens")
                .then().statusCode(403).body("error.message", containsString("admin"));
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        String user = Api.unique("eve");
        Api.createUser(user);
        String token = Api.tokenFor(user, "read");
        String shortLived = as(token).body(Map.of("name", "short", "scopes", List.of("read"),
                        "expires_at", Instant.now().plusSeconds(2).toString()))
                .post("/api/v1/user/tokens").then().statusCode(201)
                .body("data.expires_at", notNullValue()).extract().path("data.token");
        as(shortLived).get("/api/v1/user").then().statusCode(200);
        Waits.untilAsserted(Duration.ofSeconds(15), () -> as(shortLived).get("/api/v1/user").then().statusCode(401));
    }

    @Test
    void tokenValidationErrorsAreActionable() {
        as(ADMIN_TOKEN).body(Map.of("name", "", "scopes", List.of("read"))).post("/api/v1/user/tokens")
                .then().statusCode(400).body("error.code", equalTo("validation_failed")).body("error.message", equalTo("name must be 1-100 characters"));
        as(ADMIN_TOKEN).body(Map.of("name", "x".repeat(101), "scopes", List.of("read"))).post("/api/v1/user/tokens")
                .then().statusCode(400);
        as(ADMIN_TOKEN).body(Map.of("name", "x", "scopes", List.of("root"))).post("/api/v1/user/tokens")
                .then().statusCode(400).body("error.message", containsString("read, write, admin"));
        as(ADMIN_TOKEN).body(Map.of("name", "x", "scopes", List.of("read"), "expires_at", "tomorrow")).post("/api/v1/user/tokens")
                .then().statusCode(400).body("error.message", containsString("expires_at"));
        as(ADMIN_TOKEN).body(Map.of("name", "x", "scopes", List.of("read"), "expires_at", "2001-01-01T00:00:00Z")).post("/api/v1/user/tokens")
                .then().statusCode(400).body("error.message", containsString("future"));
        as(ADMIN_TOKEN).body("{\"name\": \"x\", ").post("/api/v1/user/tokens")
                .then().statusCode(400).body("error.message", containsString("malformed JSON"));
        as(ADMIN_TOKEN).body(Map.of("name", 5, "scopes", "read")).post("/api/v1/user/tokens")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"));
    }

    @Test
    void credentialsAreAcceptedInAllThreeForms() {
        given().header("Authorization", "token " + ADMIN_TOKEN).get("/api/v1/user").then().statusCode(200);
        String basic = Base64.getEncoder().encodeToString(("anyone:" + ADMIN_TOKEN).getBytes(StandardCharsets.UTF_8));
        given().header("Authorization", "Basic " + basic).get("/api/v1/user").then().statusCode(200);
        given().header("Authorization", "Bearer nonsense").get("/api/v1/user").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        given().get("/api/v1/user").then().statusCode(401).body("error.code", equalTo("unauthorized"));
    }

    @Test
    void organizationsAndMembers() {
        String owner = Api.unique("olga");
        String member = Api.unique("max");
        Api.createUser(owner);
        Api.createUser(member);
        String ownerToken = Api.tokenFor(owner, "write");
        String memberToken = Api.tokenFor(member, "write");
        String org = Api.unique("org");

        as(ownerToken).body(Map.of("name", org, "description", "Leafscale, LLC")).post("/api/v1/orgs").then().statusCode(201)
                .body("data.name", equalTo(org)).body("data.description", equalTo("Leafscale, LLC"))
                .body("data", hasKey("id")).body("data", hasKey("created_at"));
        as(ownerToken).body(Map.of("name", org.toUpperCase())).post("/api/v1/orgs").then().statusCode(409)
                .body("error.code", equalTo("conflict"));
        as(ownerToken).body(Map.of("name", "../etc")).post("/api/v1/orgs").then().statusCode(400);
        as(ownerToken).body(Map.of("name", "api")).post("/api/v1/orgs").then().statusCode(400)
                .body("error.message", containsString("reserved"));
        // all digits would read as Woodpecker's {repo_id} under /api/repos/ (routes.table)
        as(ownerToken).body(Map.of("name", "20250101")).post("/api/v1/orgs").then().statusCode(400)
                .body("error.code", equalTo("validation_failed")).body("error.message", containsString("all digits"));

        given().get("/api/v1/orgs/" + org).then().statusCode(200).body("data.name", equalTo(org));
        given().get("/api/v1/orgs/nope-" + org).then().statusCode(404).body("error.code", equalTo("not_found"));

        as(memberToken).get("/api/v1/orgs/" + org + "/members").then().statusCode(403);
        Api.addMember(ownerToken, org, member, "member");
        as(memberToken).get("/api/v1/orgs/" + org + "/members").then().statusCode(200)
                .body("data.size()", equalTo(2))
                .body("data.find { it.role == 'owner' }.user.username", equalTo(owner))
                .body("data.find { it.role == 'member' }.user.username", equalTo(member))
                .body("pagination.total", equalTo(2));
        as(memberToken).body(Map.of("role", "owner")).put("/api/v1/orgs/" + org + "/members/" + member).then().statusCode(403);
        as(ownerToken).body(Map.of("role", "king")).put("/api/v1/orgs/" + org + "/members/" + member).then().statusCode(400)
                .body("error.message", equalTo("role must be one of owner, member"));
        as(ownerToken).delete("/api/v1/orgs/" + org + "/members/" + owner).then().statusCode(409)
                .body("error.message", containsString("last owner"));
        as(ownerToken).delete("/api/v1/orgs/" + org + "/members/" + member).then().statusCode(204);
        as(memberToken).get("/api/v1/orgs/" + org + "/members").then().statusCode(403);
    }

    @Test
    void deactivatedUsersTokensAreRefusedAtOnce() {
        String user = Api.unique("dan");
        Api.createUser(user);
        String token = Api.tokenFor(user, "read");
        as(token).get("/api/v1/user").then().statusCode(200);
        as(ADMIN_TOKEN).delete("/api/v1/admin/users/" + user).then().statusCode(204);
        as(token).get("/api/v1/user").then().statusCode(401);
        as(ADMIN_TOKEN).get("/api/v1/admin/users/" + user).then().statusCode(200).body("data.is_active", equalTo(false));
    }

    @Test
    void adminUserValidation() {
        as(ADMIN_TOKEN).body(Map.of("username", "bad name")).post("/api/v1/admin/users").then().statusCode(400)
                .body("error.message", containsString("username must be 1-100 characters"));
        as(ADMIN_TOKEN).body(Map.of("username", "ok" + Api.unique(""), "email", "not-an-email")).post("/api/v1/admin/users")
                .then().statusCode(400).body("error.message", containsString("email"));
        as(ADMIN_TOKEN).body(Map.of("username", "admin")).post("/api/v1/admin/users").then().statusCode(409);
        as(ADMIN_TOKEN).get("/api/v1/admin/users/nobody-" + Api.unique("")).then().statusCode(404);
        as(ADMIN_TOKEN).get("/api/v1/admin/users?per_page=1000").then().statusCode(400);
    }

    @Test
    void storageIssuersAcceptRealKeysOnly() throws Exception {
        var generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                generator.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        String name = Api.unique("issuer");
        int id = as(ADMIN_TOKEN).body(Map.of("name", name, "public_key", pem)).post("/api/v1/admin/storage-issuers")
                .then().statusCode(201).body("data.algorithm", equalTo("ES256")).extract().path("data.id");
        as(ADMIN_TOKEN).body(Map.of("name", name, "public_key", pem)).post("/api/v1/admin/storage-issuers").then().statusCode(409);
        as(ADMIN_TOKEN).body(Map.of("name", "x", "public_key", "hello")).post("/api/v1/admin/storage-issuers").then().statusCode(400);
        as(ADMIN_TOKEN).get("/api/v1/admin/storage-issuers").then().statusCode(200).body("data.name", hasItem(name));
        as(ADMIN_TOKEN).delete("/api/v1/admin/storage-issuers/" + id).then().statusCode(204);
        as(ADMIN_TOKEN).delete("/api/v1/admin/storage-issuers/" + id).then().statusCode(404);
    }

    @Test
    void mutatingRequestsAreAudited() {
        String org = Api.unique("audited");
        // The entry is written once the answer has gone out, so it is looked up by this request's id, waiting for it.
        String requestId = java.util.UUID.randomUUID().toString();
        as(ADMIN_TOKEN).header("X-Request-Id", requestId).body(Map.of("name", org)).post("/api/v1/orgs").then().statusCode(201);
        String entry = "data.find { it.request_id == '" + requestId + "' }";
        Waits.until(Duration.ofSeconds(10), () -> as(ADMIN_TOKEN).get("/api/v1/admin/audit?per_page=100").path(entry) != null,
                () -> "no audit entry for request " + requestId);
        as(ADMIN_TOKEN).get("/api/v1/admin/audit?per_page=100").then().statusCode(200)
                .body(entry + ".route", equalTo("/api/v1/orgs"))
                .body(entry + ".path", equalTo("/api/v1/orgs"))
                .body(entry + ".status", equalTo(201))
                .body(entry + ".actor_login", equalTo("admin"));
    }

    @Test
    void internalUserApiIsInvisibleFromOutside() {
        as(ADMIN_TOKEN).get("/internal/users/1").then().statusCode(404).body("error.code", equalTo("not_found"));
        dev.shoal.platform.testing.InternalKeys keys = dev.shoal.platform.testing.InternalKeys.shared();
        String token = keys.serviceToken("issue-service", "api-gateway");
        as(token).get("/internal/users/by-name/admin").then().statusCode(200).body("data.username", equalTo("admin"))
                .body("data", not(hasKey("token")));
        as(token).get("/internal/users/abc").then().statusCode(404).body("error.code", equalTo("not_found"));
        // pipeline-service asks for the full names of Pagure flags' authors
        as(keys.serviceToken("pipeline-service", "api-gateway")).get("/internal/users/by-name/admin").then().statusCode(200)
                .body("data.username", equalTo("admin"));
        // ADR 0006: only a service token addressed to the gateway, from a service allowed there. A
        // token the gateway's key minted for a user (even a site admin), webhook-service's own token,
        // one addressed to another service, or a service key claiming a user: as if nothing were here.
        String siteAdmin = keys.gatewayToken("1", Map.of("kind", "user", "uid", 1, "login", "admin", "site_admin", true,
                "scopes", List.of("read", "write", "admin"), "role", "owner"));
        String webhook = keys.serviceToken("webhook-service", "api-gateway");
        String elsewhere = keys.serviceToken("issue-service", "repo-service");
        String posing = keys.token("issue-service", "1", "api-gateway", Map.of("kind", "user", "uid", 1, "login", "admin",
                "site_admin", true), 600);
        for (String refused : List.of(siteAdmin, webhook, elsewhere, posing)) {
            as(refused).get("/internal/users/by-name/admin").then().statusCode(404).body("error.code", equalTo("not_found"));
        }
    }
}
