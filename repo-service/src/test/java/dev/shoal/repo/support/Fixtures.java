package dev.shoal.repo.support;

import static io.restassured.RestAssured.given;

import dev.shoal.platform.testing.InternalKeys;
import io.restassured.RestAssured;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Tokens and repositories for tests; every test makes its own org name so tests never collide. */
public final class Fixtures {

    private static final AtomicInteger SEQ = new AtomicInteger();

    private Fixtures() {
    }

    public static String uniqueOrg(String prefix) {
        return prefix + SEQ.incrementAndGet() + "x" + System.nanoTime() % 100000;
    }

    public static String owner(long orgId) {
        return InternalKeys.shared().userToken(1, "ada", List.of("read", "write", "admin"), orgId, null, "owner");
    }

    public static String member(long orgId) {
        return InternalKeys.shared().userToken(2, "bob", List.of("read", "write"), orgId, null, "member");
    }

    public static String outsider(long orgId) {
        return InternalKeys.shared().userToken(3, "eve", List.of("read", "write"), orgId, null, "none");
    }

    public static long createRepo(String token, String org, String name, boolean isPrivate) {
        return given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("name", name, "description", "d", "is_private", isPrivate))
                .post("/api/v1/orgs/" + org + "/repos")
                .then().statusCode(201).extract().jsonPath().getLong("data.id");
    }

    public static String url(String org, String name) {
        return "http://localhost:" + RestAssured.port + "/" + org + "/" + name + ".git";
    }
}
