package dev.shoal.webhook.support;

import static io.restassured.RestAssured.given;

import dev.shoal.platform.testing.InternalKeys;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A repository of its own per test, an owner token for it, and the calls the tests make. */
public final class Api {

    private static final AtomicLong NEXT_REPO = new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000) * 1000);

    public final long repoId = NEXT_REPO.incrementAndGet();
    public final String org = "acme";
    public final String name = "widgets-" + repoId;
    public final String token = InternalKeys.shared().userToken(7, "olive", List.of("read", "write"), 1L, repoId, "owner");

    public String base() {
        return "/api/v1/repos/" + org + "/" + name + "/webhooks";
    }

    public Response create(String json) {
        return given().auth().oauth2(token).contentType("application/json").body(json).when().post(base());
    }

    /** Creates a hook and returns its id. */
    public long createHook(String url, String secret, String events) {
        Response response = create("{\"url\": \"" + url + "\", \"secret\": \"" + secret + "\", \"events\": " + events + "}");
        response.then().statusCode(201);
        return response.jsonPath().getLong("data.id");
    }

    public JsonPath get(String path) {
        Response response = given().auth().oauth2(token).when().get(base() + path);
        response.then().statusCode(200);
        return response.jsonPath();
    }

    public static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
