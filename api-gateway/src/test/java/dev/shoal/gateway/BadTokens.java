package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;

import dev.shoal.gateway.route.Route;
import dev.shoal.gateway.token.TokenCodec;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Credentials that must no longer work, made the way they go bad in real life: a token past its
 * expiry, a token its owner revoked, and the token of a user a site admin deactivated. Each is used
 * once while still good, so the gateway has it cached when it goes bad (eviction is part of what is
 * tested). All carry the admin scope, so that anything they were wrongly allowed would show.
 */
final class BadTokens {

    private BadTokens() {
    }

    /**
     * An admin token of {@code username} whose expiry is moved into the past in the gateway's table:
     * the API refuses an {@code expires_at} in the past, and waiting for a real one to lapse would
     * cost seconds. It is not used before, so no cached answer predates the change.
     */
    static String expired(Pool pool, String username) {
        String token = Api.tokenFor(username, "read", "write", "admin");
        int updated = pool.preparedQuery("UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE token_hash = $1")
                .execute(Tuple.tuple().addBuffer(Buffer.buffer(TokenCodec.hash(token))))
                .await().atMost(Duration.ofSeconds(10)).rowCount();
        if (updated != 1) {
            throw new AssertionError("the token to expire was not found");
        }
        as(token).get("/api/v1/user").then().statusCode(401);
        return token;
    }

    /** An admin token of {@code username}, used once, then revoked by its owner through the API. */
    static String revoked(String username) {
        Map<String, Object> created = as(ADMIN_TOKEN).body(Map.of("name", "to-revoke", "scopes", List.of("read", "write", "admin")))
                .post("/api/v1/admin/users/" + username + "/tokens").then().statusCode(201).extract().path("data");
        String token = (String) created.get("token");
        as(token).get("/api/v1/user").then().statusCode(200);
        as(token).delete("/api/v1/user/tokens/" + created.get("id")).then().statusCode(204);
        return token;
    }

    /** An admin token of a new owner of {@code org}, used once, then its user deactivated by the site admin. */
    static String ofDeactivatedUser(String ownerToken, String org) {
        String username = Api.unique("dora");
        Api.createUser(username);
        Api.addMember(ownerToken, org, username, "owner");
        String token = Api.tokenFor(username, "read", "write", "admin");
        as(token).get("/api/v1/orgs/" + org + "/members").then().statusCode(200);
        as(ADMIN_TOKEN).delete("/api/v1/admin/users/" + username).then().statusCode(204);
        return token;
    }

    /** The token as the route's clients present it: the password of Basic for git, {@code token} for Pagure, else Bearer. */
    static String authorization(Route route, String token) {
        if (route.isGit()) {
            return "Basic " + Base64.getEncoder().encodeToString(("git:" + token).getBytes(StandardCharsets.UTF_8));
        }
        return route.pattern().text().startsWith("/api/0/") ? "token " + token : "Bearer " + token;
    }
}
