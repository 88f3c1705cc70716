package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adversarial suite of the trust boundary. It does not read routes.table: its targets and what
 * each caller may see are written here, so a wrong line in the table fails it instead of teaching it.
 * Every path spelling whose normalization differs (dot segments raw and encoded in any case, overlong
 * UTF-8, doubled slashes, ';', backslashes, NUL, encoded slashes, doubly encoded and needlessly encoded
 * characters, absolute-form targets) is sent over a raw socket, byte for byte, to every admin, organization, token, issuer,
 * metrics and /internal/ target, as anonymous, an outsider and an organization member (both with
 * admin-scope tokens, neither a site admin). Not one answer may be 2xx, none 5xx, and none may hold
 * data of the target (emails, token digits, public keys, audit entries, metrics).
 */
@QuarkusTest
@GatewayTestResources
class TrustBoundaryTest {

    /** Field names and text that only the targets' real answers contain. */
    private static final List<String> LEAKS = List.of("\"email\"", "\"token_last_eight\"", "\"public_key\"", "\"actor_login\"",
            "\"org_id\"", "http_server_requests", "jvm_memory", "@example.com");

    private static String victim;
    private static String outsider;
    private static String outsiderToken;
    private static String memberToken;
    private static String org;
    private static String pem;

    @Inject
    Pool pool;

    @BeforeEach
    void setUp() throws Exception {
        if (victim != null) {
            return;
        }
        victim = Api.unique("victim");
        Api.createUser(victim);
        outsider = Api.unique("outsider");
        Api.createUser(outsider);
        outsiderToken = Api.tokenFor(outsider, "admin");
        String owner = Api.unique("owner");
        Api.createUser(owner);
        String ownerToken = Api.tokenFor(owner, "admin");
        org = Api.unique("tb");
        Api.createOrg(ownerToken, org);
        String member = Api.unique("member");
        Api.createUser(member);
        Api.addMember(ownerToken, org, member, "member");
        memberToken = Api.tokenFor(member, "admin");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        // the audit log and the issuer list have something to leak
        as(ADMIN_TOKEN).body(Map.of("name", Api.unique("tb-issuer"), "public_key", pem)).post("/api/v1/admin/storage-issuers")
                .then().statusCode(201);
    }

    /** A target: method, path, body, and which of the three callers may legitimately use it as spelled. */
    private record Target(String method, String path, String body, Set<String> allowed) {
    }

    private List<Target> targets() {
        String pwned = "pwned-" + victim;
        return List.of(
                new Target("GET", "/api/v1/admin/users", null, Set.of()),
                new Target("GET", "/api/v1/admin/users/" + victim, null, Set.of()),
                new Target("POST", "/api/v1/admin/users", "{\"username\":\"" + pwned + "\",\"email\":\"p@example.com\"}", Set.of()),
                new Target("PATCH", "/api/v1/admin/users/" + outsider, "{\"is_admin\":true}", Set.of()),
                new Target("DELETE", "/api/v1/admin/users/" + victim, null, Set.of()),
                new Target("POST", "/api/v1/admin/users/" + victim + "/tokens", "{\"name\":\"x\",\"scopes\":[\"read\"]}", Set.of()),
                new Target("GET", "/api/v1/admin/audit", null, Set.of()),
                new Target("GET", "/api/v1/admin/storage-issuers", null, Set.of()),
                new Target("POST", "/api/v1/admin/storage-issuers",
                        new io.vertx.core.json.JsonObject().put("name", pwned).put("public_key", pem).encode(), Set.of()),
                new Target("GET", "/internal/users/1", null, Set.of()),
                new Target("GET", "/internal/users/by-name/" + victim, null, Set.of()),
                new Target("GET", "/internal/orgs/" + org + "/members/1", null, Set.of()),
                new Target("GET", "/api/v1/orgs/" + org + "/members", null, Set.of("member")),
                new Target("PUT", "/api/v1/orgs/" + org + "/members/" + outsider, "{\"role\":\"owner\"}", Set.of()),
                new Target("DELETE", "/api/v1/orgs/" + org + "/members/" + outsider, null, Set.of()),
                new Target("GET", "/api/v1/user/tokens", null, Set.of("outsider", "member")),
                new Target("DELETE", "/api/v1/user/tokens/1", null, Set.of()),
                new Target("GET", "/api/users", null, Set.of()),
                new Target("GET", "/api/users/" + victim, null, Set.of()),
                new Target("GET", "/q/metrics", null, Set.of()));
    }

    /** Every way of writing {@code target} that a normalizing framework would read as {@code target}. */
    static List<String> spellings(String target) {
        String rest = target.substring(1);
        String first = rest.substring(0, rest.indexOf('/'));
        String afterFirst = rest.substring(first.length());
        String hexFirst = String.format(Locale.ROOT, "%%%02x", (int) first.charAt(0));
        return List.of(
                "/q/.." + target, "/q/%2e%2e" + target, "/q/%2E%2E" + target, "/q/.%2e" + target, "/q/%2e." + target,
                "/q/.%2E" + target, "/q/%c0%ae%c0%ae" + target, "/q/%C0%AE." + target, "/q/%e0%80%ae%e0%80%ae" + target,
                "/q/..;" + target, "/q/..;x=1" + target, "/q/health/../.." + target, "/q/health/..;/.." + target,
                "/q/%252e%252e" + target, "/q/..%2f" + rest, "/q/..%2F" + rest, "/q/..%5c" + rest, "/q/..%5C" + rest,
                "/q/..\\" + rest, "/q/x/../.." + target, "/zz/.." + target, "/." + target, "/%2e" + target, "/" + target,
                "/" + first + "/" + afterFirst, "/" + first + ";x" + afterFirst, "/" + first + "/." + afterFirst,
                "/" + first + "/x/.." + afterFirst, target + ";x=1", target + "/.", target + "/x/..", target + "%00",
                "/" + first + "%00" + afterFirst, target + "\u0000", "/" + first + "\u0000/.." + afterFirst,
                "/" + hexFirst + first.substring(1) + afterFirst, "/" + first + "\\" + afterFirst.substring(1),
                "/internal/../" + rest, "/api/v1/orgs/%2e%2e/%2e%2e/%2e%2e" + target,
                // absolute-form request targets: the path inside the URI is what counts
                "http://localhost/q/.." + target, "http://localhost/q/%2e%2e" + target);
    }

    @Test
    void noSpellingOfAnyProtectedTargetAnswersAnyoneButTheAllowed() throws Exception {
        Map<String, String> callers = new java.util.LinkedHashMap<>();
        callers.put("anonymous", null);
        callers.put("outsider", outsiderToken);
        callers.put("member", memberToken);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        long started = System.nanoTime();
        for (Target target : targets()) {
            List<String> paths = new ArrayList<>(spellings(target.path()));
            paths.add(0, target.path());
            for (String path : paths) {
                boolean plain = path.equals(target.path());
                for (Map.Entry<String, String> caller : callers.entrySet()) {
                    RawAnswer answer = raw(target.method(), path, caller.getValue(), target.body());
                    sent++;
                    String what = caller.getKey() + " " + target.method() + " " + printable(path) + " -> " + answer.status();
                    if (answer.status() >= 500) {
                        failures.add(what + " (server error) " + answer.body());
                        continue;
                    }
                    if (plain && target.allowed().contains(caller.getKey())) {
                        continue;
                    }
                    if (answer.status() < 400) {
                        failures.add(what + " (not refused) " + abbreviate(answer.body()));
                    } else if (!plain && answer.status() != 400 && answer.status() != -1) {
                        failures.add(what + " (a path trick must be 400) " + abbreviate(answer.body()));
                    }
                    for (String leak : LEAKS) {
                        if (answer.text().contains(leak)) {
                            failures.add(what + " leaks " + leak);
                        }
                    }
                }
            }
        }
        assertThat(failures).as("of %d requests in %d ms", sent, (System.nanoTime() - started) / 1_000_000).isEmpty();
        // nothing the requests tried happened
        as(ADMIN_TOKEN).get("/api/v1/admin/users/pwned-" + victim).then().statusCode(404);
        as(ADMIN_TOKEN).get("/api/v1/admin/users/" + victim).then().statusCode(200).body("data.is_active", equalTo(true));
        as(ADMIN_TOKEN).get("/api/v1/admin/users/" + outsider).then().statusCode(200).body("data.is_admin", equalTo(false));
        String members = as(ADMIN_TOKEN).get("/api/v1/orgs/" + org + "/members").then().statusCode(200).extract().asString();
        assertThat(members).doesNotContain(outsider);
        assertThat(as(ADMIN_TOKEN).get("/api/v1/admin/storage-issuers?per_page=100").asString()).doesNotContain("pwned-");
    }

    /** The leak markers do find the data when the caller may see it (else the suite could not fail). */
    @Test
    void theSameTargetsAnswerASiteAdministratorWithTheirData() throws Exception {
        RawAnswer users = raw("GET", "/api/v1/admin/users/" + victim, ADMIN_TOKEN, null);
        assertThat(users.status()).isEqualTo(200);
        assertThat(users.text()).contains("\"email\"", victim + "@example.com");
        RawAnswer metrics = raw("GET", "/q/metrics", ADMIN_TOKEN, null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("http_server_requests");
        assertThat(raw("GET", "/api/v1/admin/storage-issuers", ADMIN_TOKEN, null).text()).contains("\"public_key\"");
    }

    /** Item 1: the reported requests, exactly as sent. */
    @Test
    void qDotDotToTheAdminApiIsRefusedAnd400() throws Exception {
        for (String path : List.of("/q/../api/v1/admin/users", "/q/%2e%2e/api/v1/admin/users", "/q/../api/v1/admin/audit",
                "/q/../api/v1/admin/storage-issuers", "/q/../internal/users/1")) {
            RawAnswer answer = raw("GET", path, null, null);
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.body()).as(path).contains("\"validation_failed\"").doesNotContain("@example.com");
        }
    }

    @Test
    void healthIsPublicMetricsNeedASiteAdminAndOtherQuarkusPathsDoNotExist() throws Exception {
        assertThat(raw("GET", "/q/health/ready", null, null).status()).isEqualTo(200);
        assertThat(raw("GET", "/q/health", null, null).status()).isEqualTo(200);
        RawAnswer anonymous = raw("GET", "/q/metrics", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"unauthorized\"").doesNotContain("jvm_");
        RawAnswer outsiderMetrics = raw("GET", "/q/metrics", outsiderToken, null);
        assertThat(outsiderMetrics.status()).isEqualTo(403);
        assertThat(outsiderMetrics.body()).contains("site administrators").doesNotContain("jvm_");
        for (String path : List.of("/q/openapi", "/q/dev-ui", "/q/dev", "/q/swagger-ui", "/q/health-ui", "/q/info", "/q/arc")) {
            RawAnswer answer = raw("GET", path, ADMIN_TOKEN, null);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.body()).as(path).contains("\"not_found\"");
        }
    }

    // --- tenancy: names shared across kinds, repositories of another organization ------------------------

    private long registerIssuer(String name) {
        return ((Number) as(ADMIN_TOKEN).body(Map.of("name", name, "public_key", pem)).post("/api/v1/admin/storage-issuers")
                .then().statusCode(201).extract().path("data.id")).longValue();
    }

    @Test
    void namesAreReservedAcrossIssuersOrganizationsAndUsers() {
        String issuer = Api.unique("iss");
        registerIssuer(issuer);
        as(outsiderToken).body(Map.of("name", issuer)).post("/api/v1/orgs").then().statusCode(409)
                .body("error.code", equalTo("conflict")).body("error.message", containsString("Code Storage issuer"));
        as(outsiderToken).body(Map.of("name", issuer.toUpperCase(Locale.ROOT))).post("/api/v1/orgs").then().statusCode(409);
        as(ADMIN_TOKEN).body(Map.of("username", issuer, "email", "x@example.org")).post("/api/v1/admin/users").then().statusCode(409)
                .body("error.message", containsString("Code Storage issuer"));
        as(ADMIN_TOKEN).body(Map.of("name", org, "public_key", pem)).post("/api/v1/admin/storage-issuers").then().statusCode(409)
                .body("error.message", containsString("organization"));
        as(ADMIN_TOKEN).body(Map.of("name", outsider, "public_key", pem)).post("/api/v1/admin/storage-issuers").then().statusCode(409)
                .body("error.message", containsString("user"));
    }

    /**
     * Data from before names were reserved: an organization named like an issuer, owned by an ordinary
     * user. It must not own the issuer's (private) repositories on any path.
     */
    @Test
    void anOrganizationShadowingAnIssuerInDataOwnsNoneOfItsRepositories() {
        String issuer = Api.unique("iss");
        long issuerId = registerIssuer(issuer);
        long repoId = directory(-issuerId, issuer, "vault", true);
        long orgId = pool.preparedQuery("INSERT INTO orgs (name) VALUES ($1) RETURNING id").execute(Tuple.of(issuer))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        long outsiderId = ((Number) as(outsiderToken).get("/api/v1/user").then().extract().path("data.id")).longValue();
        pool.preparedQuery("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'owner')").execute(Tuple.of(orgId, outsiderId))
                .await().atMost(Duration.ofSeconds(10));
        refusedEverywhere(outsiderToken, issuer, "vault", repoId, true);
    }

    /**
     * A repository found by {org}/{repo} must belong to that organization: a directory row naming the
     * attacker's organization but carrying another organization's id is not the attacker's.
     */
    @Test
    void repositoriesOfAnotherOrganizationAreNotReachableByNameOrId() {
        String attackerOrg = Api.unique("atk");
        Api.createOrg(outsiderToken, attackerOrg);
        long victimOrgId = ((Number) as(null).get("/api/v1/orgs/" + org).then().extract().path("data.id")).longValue();
        long secretId = directory(victimOrgId, org, "secret", true);
        long twinId = directory(victimOrgId, attackerOrg, "twin", true);
        refusedEverywhere(outsiderToken, attackerOrg, "secret", secretId, false);
        refusedEverywhere(outsiderToken, attackerOrg, "twin", twinId, false);
        // the rightful members still reach it by its own organization and by id
        Number forwarded = as(memberToken).get("/api/v1/repos/" + org + "/secret").then().statusCode(200)
                .extract().path("echo.claims.repo_id");
        assertThat(forwarded.longValue()).isEqualTo(secretId);
        as(memberToken).get("/api/repos/" + secretId).then().statusCode(200);
    }

    private void refusedEverywhere(String token, String owner, String name, long id, boolean orgLevel) {
        List<String> paths = new ArrayList<>(List.of("/api/v1/repos/" + owner + "/" + name, "/api/v1/repos/" + owner + "/" + name + "/issues",
                "/" + owner + "/" + name + ".git/info/refs?service=git-upload-pack", "/api/repos/" + owner + "/" + name,
                "/api/repos/" + owner + "/" + name + "/builds", "/api/repos/lookup/" + owner + "/" + name, "/api/repos/" + id,
                "/api/repos/" + id + "/pipelines", "/api/badges/" + id + "/status.svg", "/api/0/" + owner + "/" + name,
                "/api/0/" + owner + "/" + name + "/issues"));
        if (orgLevel) {
            paths.add("/api/v1/orgs/" + owner + "/repos");
            paths.add("/api/v1/orgs/" + owner);
        }
        for (String path : paths) {
            io.restassured.response.Response answer = RestAssured.given().urlEncodingEnabled(false)
                    .header("Authorization", path.contains(".git/") ? basic(token) : "Bearer " + token).get(path);
            assertThat(answer.statusCode()).as(path + ": " + answer.asString()).isEqualTo(404);
            assertThat(answer.asString()).as(path).doesNotContain("\"echo\"");
        }
        String basic = RestAssured.given().header("Authorization", basic(token)).body(new byte[] {0})
                .post("/" + owner + "/" + name + ".git/git-upload-pack").asString();
        assertThat(basic).doesNotContain("\"echo\"");
    }

    private static String basic(String token) {
        return "Basic " + Base64.getEncoder().encodeToString(("x:" + token).getBytes(StandardCharsets.UTF_8));
    }

    /** A repository in the gateway's directory, as repo-service's events would have put it. */
    private long directory(long orgId, String orgName, String name, boolean isPrivate) {
        long id = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
        pool.preparedQuery("INSERT INTO repo_directory (id, org_id, org, name, is_private) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(id, orgId, orgName, name, isPrivate)).await().atMost(Duration.ofSeconds(10));
        return id;
    }

    // --- a client that sends the path byte for byte ------------------------------------------------------

    record RawAnswer(int status, String text) {
        String body() {
            int split = text.indexOf("\r\n\r\n");
            return split < 0 ? "" : text.substring(split + 4);
        }
    }

    /** HTTP/1.1 by hand: no client library gets to normalize, encode or refuse the path. -1: no answer. */
    static RawAnswer raw(String method, String path, String token, String body) throws Exception {
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while ((n = in.read(buffer)) > 0) {
                    received.write(buffer, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // the server may close as soon as it has answered a request it will not read further
            }
            String text = received.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 ")) {
                return new RawAnswer(-1, text);
            }
            return new RawAnswer(Integer.parseInt(text.substring(9, 12)), text);
        }
    }

    private static String printable(String path) {
        return path.replace("\u0000", "<NUL>");
    }

    private static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
