package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.shoal.platform.outbox.Outbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@GatewayTestResources
class ForwardingTest {

    private static String org;
    private static String ownerToken;

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @BeforeEach
    void setUp() {
        if (org != null) {
            return;
        }
        RepoFixture.OwnedSite site = RepoFixture.ownedSite(pool, outbox, "fiona", "fwd");
        org = site.org();
        ownerToken = site.ownerToken();
    }

    @Test
    void forwardsPathQueryAndRequestIdWithInternalIdentity() {
        as(ownerToken).header("X-Request-Id", "abc-123")
                .get("/api/v1/repos/" + org + "/site/log?page=2&per_page=5")
                .then().statusCode(200)
                .header("X-Request-Id", "abc-123")
                .body("echo.path", equalTo("/api/v1/repos/" + org + "/site/log"))
                .body("echo.query", equalTo("page=2&per_page=5"))
                .body("echo.request_id", equalTo("abc-123"))
                .body("echo.claims.login", notNullValue())
                .body("echo.claims.iss", equalTo("api-gateway"))
                .body("echo.claims.aud", equalTo("repo-service"))
                .body("echo.claims.role", equalTo("owner"));
    }

    @Test
    void streamsLargeGitBodiesThrough() {
        byte[] pack = new byte[8 * 1024 * 1024];
        Arrays.fill(pack, (byte) 7);
        given().header("Authorization", "Bearer " + ownerToken).contentType("application/x-git-receive-pack-request")
                .body(pack).post("/" + org + "/site.git/git-receive-pack")
                .then().statusCode(200).body("echo.body_size", equalTo(pack.length));
    }

    /**
     * curl sends {@code Expect: 100-continue} with any body over 1 MiB and waits a second for leave to
     * send it: a gateway that never answered cost every large commit-pack and upload that second.
     */
    @Test
    void aClientExpectingContinueIsToldToGoOnOnceAcceptedAndRefusedWithoutSendingItsBody() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024];
        Arrays.fill(body, (byte) 'x');
        String head = "POST /" + org + "/site.git/git-receive-pack HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-git-receive-pack-request\r\nContent-Length: " + body.length + "\r\n"
                + "Expect: 100-continue\r\nConnection: close\r\n";
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Authorization: Bearer " + ownerToken + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            Assertions.assertThat(readHead(in)).startsWith("HTTP/1.1 100 Continue");
            out.write(body);
            out.flush();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Assertions.assertThat(answer).startsWith("HTTP/1.1 200 ")
                    .contains("\"body_size\":" + body.length)
                    .contains("\"expect\":null");
        }
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // the refusal comes first and alone; the body it was never asked for is not awaited
            Assertions.assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 401 ");
        }
    }

    /** One answer's head, up to its blank line. */
    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void serviceDownIs503AndSlowServiceIs504InEnvelope() {
        as(ownerToken).get("/api/v1/repos/" + org + "/site/webhooks").then().statusCode(503)
                .body("error.code", equalTo("service_unavailable"))
                .body("error.message", containsString("webhook"));
        as(ownerToken).get("/api/v1/repos/" + org + "/site/tree/slow").then().statusCode(504)
                .body("error.code", equalTo("gateway_timeout"));
    }

    /**
     * A service that dies while it handles a request (kill -9) is a 502 envelope at once, also for
     * an HTTP/2 client, whose request is read whole by then (found by the whole-stack crash test:
     * the gateway threw while answering and the client waited for ever).
     */
    @Test
    void serviceDyingMidRequestIs502ForHttp2ClientsToo() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 2; i++) {
            java.net.http.HttpResponse<String> answer = client.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                                    + "/api/v1/repos/" + org + "/site/tree/vanish"))
                    .header("Authorization", "Bearer " + ownerToken).timeout(java.time.Duration.ofSeconds(10)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            Assertions.assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
            Assertions.assertThat(answer.body()).contains("\"bad_gateway\"");
        }
    }

    @Test
    void aSafeRequestIsSentAgainWhenTheServiceDropsTheConnectionButAWriteIsNot() {
        as(ownerToken).header("X-Request-Id", "drop-get-1").header("X-Echo-Drop-First", "yes")
                .get("/api/v1/repos/" + org + "/site/log")
                .then().statusCode(200)
                .body("echo.path", equalTo("/api/v1/repos/" + org + "/site/log"))
                .body("echo.request_id", equalTo("drop-get-1"));
        // a write may have taken effect before the connection went: the caller decides, not the gateway
        as(ownerToken).header("X-Request-Id", "drop-post-1").header("X-Echo-Drop-First", "yes")
                .contentType("application/json").body("{}")
                .post("/api/v1/repos/" + org + "/site/releases")
                .then().statusCode(502)
                .body("error.code", equalTo("bad_gateway"));
    }

    @Test
    void requestMetricsAreNamedByTheirRoutePatternNotTheirPath() {
        as(ownerToken).get("/api/v1/repos/" + org + "/site/log").then().statusCode(200);
        as(ADMIN_TOKEN).get("/q/metrics").then().statusCode(200)
                .body(containsString("uri=\"/api/v1/repos/{org}/{repo}/log\""))
                .body(not(containsString("uri=\"/api/v1/repos/" + org + "/site/log\"")));
    }

    @Test
    void headTakesTheGetRouteWithItsRulesAndAnswersWithoutABody() {
        io.restassured.response.Response head = as(ownerToken).head("/api/v1/repos/" + org + "/site/log");
        head.then().statusCode(200);
        Assertions.assertThat(head.asByteArray()).isEmpty();
        // the GET route's rules hold: who the caller is needs a token
        given().head("/api/v1/user").then().statusCode(401);
        given().head("/api/v1/nothing/here").then().statusCode(404);
    }

    @Test
    void unknownRoutesAreDeniedByDefault() {
        given().get("/api/v1/nothing/here").then().statusCode(404).body("error.code", equalTo("not_found"));
        given().get("/internal/repos/1").then().statusCode(404).body("error.code", equalTo("not_found"));
        given().delete("/api/v1/orgs/" + org).then().statusCode(405).body("error.code", equalTo("method_not_allowed"));
        given().get("/" + org + "/site.git/info/refs").then().statusCode(404);
        given().get("/" + org + "/site.git/info/refs?service=git-upload-pack").then().statusCode(200);
        given().get("/" + org + "/site.git/info/refs?service=git-receive-pack").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"));
    }

    @Test
    void pathTricksAreRefused() {
        for (String path : new String[] {"/api/v1/repos/" + org + "/site/tree/../../../etc/passwd",
                "/api/v1/repos/" + org + "/site/blob/%2e%2e/secret", "/api/v1/repos/" + org + "/site/blob/a%00b",
                "/api/v1/repos/" + org + "/site/blob/a%2fb", "/api/v1/repos/" + org + "/site/blob/a%5cb"}) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(400)
                    .body("error.code", equalTo("validation_failed")).body(not(containsString("Exception")));
        }
    }

    @Test
    void bodiesOverTheRouteLimitAre413() {
        String big = "{\"name\": \"" + "x".repeat(70 * 1024) + "\"}";
        as(ADMIN_TOKEN).body(big).post("/api/v1/orgs").then().statusCode(413).body("error.code", equalTo("payload_too_large"));
        as(ownerToken).body(big).post("/api/v1/repos/" + org + "/site/labels").then().statusCode(413);
    }

    @Test
    void privateRepositoriesThatDoNotExistLookTheSameAsHiddenOnes() {
        as(ownerToken).get("/api/v1/repos/" + org + "/missing").then().statusCode(404)
                .body("error.message", equalTo("repository not found"));
        given().get("/api/v1/repos/" + org + "/missing/issues").then().statusCode(404)
                .body("error.message", equalTo("repository not found"));
        given().get("/api/v1/repos/no-such-org/x").then().statusCode(404).body("error.message", equalTo("repository not found"));
    }
}
