package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Code Storage JWTs at the gateway: keys generated here, registered as issuers through the admin
 * API, tokens signed here; forwarded requests reach the echo upstream with the storage headers.
 */
@QuarkusTest
@GatewayTestResources
class StorageAuthTest {

    private static KeyPair ec;
    private static KeyPair ed;
    private static KeyPair stranger;
    private static String ecIssuer;
    private static String edIssuer;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGen.generateKeyPair();
        stranger = ecGen.generateKeyPair();
        ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ecIssuer = Api.unique("es-issuer");
        edIssuer = Api.unique("ed-issuer");
    }

    private static void register() {
        for (Object[] issuer : new Object[][] {{ecIssuer, ec}, {edIssuer, ed}}) {
            String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                    ((KeyPair) issuer[1]).getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
            int status = as(ADMIN_TOKEN).body(Map.of("name", issuer[0], "public_key", pem))
                    .post("/api/v1/admin/storage-issuers").statusCode();
            if (status != 201 && status != 409) {
                throw new AssertionError("registering an issuer answered " + status);
            }
        }
    }

    static String jwt(String issuer, PrivateKey key, String alg, String repo, List<String> scopes, long expiresIn) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setClaim("repo", repo);
        claims.setStringListClaim("scopes", scopes);
        claims.setIssuedAtToNow();
        if (expiresIn != Long.MIN_VALUE) {
            claims.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 + expiresIn));
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(alg);
        return jws.getCompactSerialization();
    }

    @Test
    void es256TokenIsForwardedWithItsClaims() throws Exception {
        register();
        String token = jwt(ecIssuer, ec.getPrivate(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                "team/alpha", List.of("git:read", "git:write"), 600);
        as(token).header("X-Shoal-Storage-Repo", "forged").get("/storage/api/v1/repos/files?ref=main")
                .then().statusCode(200)
                .body("echo.path", equalTo("/storage/api/v1/repos/files"))
                .body("echo.claims.kind", equalTo("storage"))
                .body("echo.claims.login", equalTo(ecIssuer))
                .body("echo.storage_issuer", equalTo(ecIssuer))
                .body("echo.storage_repo", equalTo("team/alpha"))
                .body("echo.storage_scopes", equalTo("git:read git:write"));
    }

    static String jwtWith(String repo, Map<String, Object> extra) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ecIssuer);
        claims.setClaim("repo", repo);
        claims.setStringListClaim("scopes", List.of("git:read", "git:write"));
        claims.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 + 600));
        extra.forEach(claims::setClaim);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(ec.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }

    @Test
    void refPoliciesAreNormalizedAndCarriedInTheInternalJwt() throws Exception {
        register();
        // the SDK's encodeRefsClaim: [[pattern, [ops]]]; branch shorthand becomes refs/heads/…, the legacy
        // repo-wide ops claim a trailing catch-all
        String token = jwtWith("team/alpha", Map.of(
                "refs", List.of(List.of("main", List.of("no-push")), List.of("refs/tags/*", List.of()),
                        List.of("feature/*", List.of("no-force-push", "verify-sig"))),
                "ops", List.of("no-force-push")));
        as(token).get("/storage/api/v1/repos/files").then().statusCode(200)
                .body("echo.claims.refs", equalTo(List.of(List.of("refs/heads/main", List.of("no-push")),
                        List.of("refs/tags/*", List.of()), List.of("refs/heads/feature/*", List.of("no-force-push", "verify-sig")),
                        List.of("*", List.of("no-force-push")))));
        // git paths carry them too (pushes are checked against them)
        as(jwtWith("alpha", Map.of("refs", List.of(List.of("*", List.of("no-push"))))))
                .get("/storage/alpha.git/info/refs?service=git-receive-pack").then().statusCode(200)
                .body("echo.claims.refs", equalTo(List.of(List.of("*", List.of("no-push")))));
        // a token without policies has no refs claim at all
        as(jwtWith("team/alpha", Map.of())).get("/storage/api/v1/repos/files").then().statusCode(200)
                .body("echo.claims.refs", nullValue());
    }

    @Test
    void malformedRefPoliciesAreRefused() throws Exception {
        register();
        Map<Object, String> bad = new java.util.LinkedHashMap<>();
        bad.put("main", "must be an array");
        bad.put(List.of("main"), "refs[0] must be a [pattern, [ops");
        bad.put(List.of(List.of(1, List.of())), "must be a string");
        bad.put(List.of(List.of("main", "no-push")), "must be an array of ops");
        bad.put(List.of(List.of("main", List.of("no-delete"))), "unknown op 'no-delete'");
        bad.put(List.of(List.of("feat*", List.of("no-push"))), "prefix glob");
        bad.put(List.of(List.of("refs/*/x", List.of("no-push"))), "prefix glob");
        bad.put(List.of(List.of("", List.of("no-push"))), "1-1024 characters");
        bad.put(List.of(List.of("a b", List.of("no-push"))), "space or control");
        for (Map.Entry<Object, String> c : bad.entrySet()) {
            as(jwtWith("team/alpha", Map.of("refs", c.getKey()))).get("/storage/api/v1/repos/files").then()
                    .statusCode(401).body("error", containsString("ref policies are malformed"))
                    .body("error", containsString(c.getValue()));
        }
        as(jwtWith("team/alpha", Map.of("ops", List.of("nope")))).get("/storage/api/v1/repos/files").then()
                .statusCode(401).body("error", containsString("'ops' claim"));
    }

    @Test
    void servicesVerifyStorageTokensThroughTheInternalEndpoint() throws Exception {
        register();
        // repo-service's own token, addressed to the gateway (ADR 0006)
        String service = dev.shoal.platform.testing.InternalKeys.shared().serviceToken("repo-service", "api-gateway");
        String base = jwt(ecIssuer, ec.getPrivate(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "team/base",
                List.of("git:read"), 600);
        given().auth().oauth2(service).contentType("application/json").body(Map.of("token", base))
                .post("/internal/storage-tokens/verify").then().statusCode(200)
                .body("data.issuer", equalTo(ecIssuer)).body("data.repo", equalTo("team/base"))
                .body("data.scopes", equalTo(List.of("git:read")));
        String expired = jwt(ecIssuer, ec.getPrivate(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "team/base",
                List.of("git:read"), -600);
        given().auth().oauth2(service).contentType("application/json").body(Map.of("token", expired))
                .post("/internal/storage-tokens/verify").then().statusCode(401).body("error.message", containsString("expired"));
        String forged = jwt(ecIssuer, stranger.getPrivate(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "team/base",
                List.of("git:read"), 600);
        given().auth().oauth2(service).contentType("application/json").body(Map.of("token", forged))
                .post("/internal/storage-tokens/verify").then().statusCode(401).body("error.message", containsString("not signed"));
        given().auth().oauth2(service).contentType("application/json").body("{}")
                .post("/internal/storage-tokens/verify").then().statusCode(400).body("error.message", containsString("token is required"));
        // not for clients, nor for internal tokens minted for users: as if the route did not exist
        given().contentType("application/json").body(Map.of("token", base)).post("/internal/storage-tokens/verify")
                .then().statusCode(404);
        given().auth().oauth2(base).contentType("application/json").body(Map.of("token", base)).post("/internal/storage-tokens/verify")
                .then().statusCode(404);
        String user = dev.shoal.platform.testing.InternalKeys.shared().userToken(1, "svc", List.of("read"), null, null, "none");
        given().auth().oauth2(user).contentType("application/json").body(Map.of("token", base)).post("/internal/storage-tokens/verify")
                .then().statusCode(404);
        // only repo-service asks this: another service's token, or repo-service's for another audience, finds nothing
        for (String other : List.of(dev.shoal.platform.testing.InternalKeys.shared().serviceToken("issue-service", "api-gateway"),
                dev.shoal.platform.testing.InternalKeys.shared().serviceToken("webhook-service", "api-gateway"),
                dev.shoal.platform.testing.InternalKeys.shared().serviceToken("repo-service", "issue-service"))) {
            given().auth().oauth2(other).contentType("application/json").body(Map.of("token", base))
                    .post("/internal/storage-tokens/verify").then().statusCode(404);
        }
    }

    @Test
    void eddsaTokenCreatesRepositoriesWithRepoWrite() throws Exception {
        register();
        String token = jwt(edIssuer, ed.getPrivate(), AlgorithmIdentifiers.EDDSA, "proj", List.of("repo:write"), 600);
        as(token).body("{}").post("/storage/api/v1/repos").then().statusCode(200)
                .body("echo.storage_repo", equalTo("proj"));
        // repo:write does not read files
        as(token).get("/storage/api/v1/repos/files").then().statusCode(401)
                .body("code", equalTo("insufficient_scope"))
                .body("error", containsString("git:read"));
    }

    @Test
    void refusesExpiredUnsignedWronglySignedAndUnknownIssuers() throws Exception {
        register();
        String es = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
        List<String> all = List.of("git:read", "git:write", "repo:write");
        String expired = jwt(ecIssuer, ec.getPrivate(), es, "r", all, -120);
        as(expired).get("/storage/api/v1/repos/files").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error", equalTo("the JWT has expired"));
        as(jwt(ecIssuer, ec.getPrivate(), es, "r", all, Long.MIN_VALUE)).get("/storage/api/v1/repos/files")
                .then().statusCode(401).body("error", containsString("'exp'"));
        as(jwt(ecIssuer, stranger.getPrivate(), es, "r", all, 600)).get("/storage/api/v1/repos/files")
                .then().statusCode(401).body("error", containsString("not signed by the key"));
        // the EC issuer's key cannot be used with EdDSA, nor a token signed with the Ed25519 key
        as(jwt(ecIssuer, ed.getPrivate(), AlgorithmIdentifiers.EDDSA, "r", all, 600)).get("/storage/api/v1/repos/files")
                .then().statusCode(401).body("code", equalTo("unauthorized"));
        as(jwt(Api.unique("nobody"), ec.getPrivate(), es, "r", all, 600)).get("/storage/api/v1/repos/files")
                .then().statusCode(401).body("error", containsString("not registered"));
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"iss\":\"" + ecIssuer
                + "\",\"repo\":\"r\",\"scopes\":[\"git:read\"],\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}")
                .getBytes(StandardCharsets.UTF_8));
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + payload + ".";
        as(unsigned).get("/storage/api/v1/repos/files").then().statusCode(401).body("code", equalTo("unauthorized"));
        as(null).get("/storage/api/v1/repos/files").then().statusCode(401).body("code", equalTo("unauthorized"));
    }

    /**
     * Issue 24: an id with '/' is one {id+} over several segments; the path is forwarded as received
     * and compared with the token's repo claim once percent-decoded (the SDK's URL and findOne's url
     * spell some characters differently), for the plain, ephemeral and import remotes.
     */
    @Test
    void gitPathsNameIdsWithSlashesRawOrPercentEncoded() throws Exception {
        register();
        String es = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
        String id = "Team/sub.dir/Project_1-a+b@c~d";
        String writer = jwt(ecIssuer, ec.getPrivate(), es, id, List.of("git:read", "git:write"), 600);
        for (String spelled : List.of("Team/sub.dir/Project_1-a+b@c~d", "Team/sub.dir/Project_1-a%2Bb%40c%7Ed")) {
            for (String remote : List.of(".git", "+ephemeral.git", "+import.git")) {
                String path = "/storage/" + spelled + remote;
                given().urlEncodingEnabled(false).auth().preemptive().basic("t", writer)
                        .get(path + "/info/refs?service=git-upload-pack").then().statusCode(200)
                        .body("echo.path", equalTo(path + "/info/refs")).body("echo.storage_repo", equalTo(id));
                given().urlEncodingEnabled(false).auth().preemptive().basic("t", writer).post(path + "/git-receive-pack")
                        .then().statusCode(200).body("echo.path", equalTo(path + "/git-receive-pack"));
            }
        }
        // another id, a prefix or an extension of it, is another repository
        for (String other : List.of("Team", "Team/sub.dir", "Team/sub.dir/Project_1-a+b@c~d/more", "team/sub.dir/Project_1-a+b@c~d")) {
            given().urlEncodingEnabled(false).auth().preemptive().basic("t", writer)
                    .get("/storage/" + other + ".git/info/refs?service=git-upload-pack").then().statusCode(403)
                    .body("error.message", containsString("'" + id + "'"));
        }
        // encoded slashes and dot segments never reach the comparison
        given().urlEncodingEnabled(false).auth().preemptive().basic("t", writer)
                .get("/storage/Team%2Fsub.dir/Project_1-a+b@c~d.git/info/refs?service=git-upload-pack").then().statusCode(400);
        given().urlEncodingEnabled(false).auth().preemptive().basic("t", writer)
                .get("/storage/Team/../Team/sub.dir/Project_1-a+b@c~d.git/info/refs?service=git-upload-pack").then().statusCode(400);
    }

    /** Issue 24: the seed answers 403 for pull-upstream without git:write, 401 for a missing scope elsewhere. */
    @Test
    void pullUpstreamWithoutGitWriteIsForbiddenOtherRoutesUnauthorized() throws Exception {
        register();
        String es = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
        String reader = jwt(ecIssuer, ec.getPrivate(), es, "team/alpha", List.of("git:read"), 600);
        as(reader).contentType("application/json").body("{}").post("/storage/api/v1/repos/pull-upstream").then().statusCode(403)
                .header("WWW-Authenticate", org.hamcrest.Matchers.nullValue())
                .body("code", equalTo("insufficient_scope")).body("error", containsString("git:write"));
        String writer = jwt(ecIssuer, ec.getPrivate(), es, "team/alpha", List.of("git:write"), 600);
        as(writer).contentType("application/json").body("{}").post("/storage/api/v1/repos/pull-upstream").then().statusCode(200)
                .body("echo.storage_repo", equalTo("team/alpha"));
        for (String write : List.of("/storage/api/v1/repos/commit-pack", "/storage/api/v1/repos/branches/create",
                "/storage/api/v1/repos/tags", "/storage/api/v1/repos/merge")) {
            as(reader).contentType("application/json").body("{}").post(write).then().statusCode(401)
                    .header("WWW-Authenticate", containsString("Bearer")).body("code", equalTo("insufficient_scope"));
        }
        as(reader).contentType("application/json").body("{}").post("/storage/api/v1/repos").then().statusCode(401)
                .body("error", containsString("repo:write"));
        as(writer).get("/storage/api/v1/repos/files").then().statusCode(401).body("error", containsString("git:read"));
    }

    /** Issue 24: an id with NUL or control characters can name no repository: creation is refused with 400, nothing forwarded. */
    @Test
    void repoClaimsWithControlCharactersAreRefused() throws Exception {
        register();
        String es = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
        for (String id : List.of("team/a\u0000b", "tab\tbed", "line\nbreak")) {
            as(jwt(ecIssuer, ec.getPrivate(), es, id, List.of("repo:write"), 600)).body("{}").post("/storage/api/v1/repos").then()
                    .statusCode(400).body("code", equalTo("validation_failed")).body("error", containsString("control characters"))
                    .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("echo")));
        }
    }

    @Test
    void gitPathsNeedTheTokensRepositoryAndScope() throws Exception {
        register();
        String es = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
        String reader = jwt(ecIssuer, ec.getPrivate(), es, "alpha", List.of("git:read"), 600);
        given().auth().preemptive().basic("t", reader).get("/storage/alpha.git/info/refs?service=git-upload-pack")
                .then().statusCode(200).body("echo.storage_repo", equalTo("alpha"));
        given().auth().preemptive().basic("t", reader).get("/storage/beta.git/info/refs?service=git-upload-pack")
                .then().statusCode(403).body("error.message", containsString("'alpha'"));
        given().auth().preemptive().basic("t", reader).get("/storage/alpha.git/info/refs?service=git-receive-pack")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Basic"))
                .body("error.code", equalTo("insufficient_scope"));
        // the ephemeral remote {id}+ephemeral.git is the same repository: forwarded as is, with the token's repo
        // (git sends '+' unencoded; so do these requests)
        given().urlEncodingEnabled(false).auth().preemptive().basic("t", reader).get("/storage/alpha+ephemeral.git/info/refs?service=git-upload-pack")
                .then().statusCode(200).body("echo.path", equalTo("/storage/alpha+ephemeral.git/info/refs"))
                .body("echo.storage_repo", equalTo("alpha"));
        given().urlEncodingEnabled(false).auth().preemptive().basic("t", reader).get("/storage/beta+ephemeral.git/info/refs?service=git-upload-pack")
                .then().statusCode(403).body("error.message", containsString("'alpha'"));
        given().urlEncodingEnabled(false).auth().preemptive().basic("t", reader).post("/storage/alpha+ephemeral.git/git-receive-pack")
                .then().statusCode(401).body("error.code", equalTo("insufficient_scope"));
        // +import reaches repo-service, which says it does not serve it
        given().urlEncodingEnabled(false).auth().preemptive().basic("t", reader).get("/storage/alpha+import.git/info/refs?service=git-upload-pack")
                .then().statusCode(200).body("echo.path", equalTo("/storage/alpha+import.git/info/refs"));
        // grep is a read that POSTs its query; deleting a branch is a write
        as(reader).contentType("application/json").body("{}").post("/storage/api/v1/repos/grep").then().statusCode(200)
                .body("echo.storage_repo", equalTo("alpha"));
        as(reader).contentType("application/json").body("{}").delete("/storage/api/v1/repos/branches").then().statusCode(401)
                .body("code", equalTo("insufficient_scope"));
        // archive is a read that POSTs (with or without a body); notes: read by GET, written by POST/DELETE
        as(reader).post("/storage/api/v1/repos/archive").then().statusCode(200).body("echo.storage_repo", equalTo("alpha"));
        as(reader).get("/storage/api/v1/repos/notes/refs").then().statusCode(200).body("echo.storage_repo", equalTo("alpha"));
        as(reader).contentType("application/json").body("{}").post("/storage/api/v1/repos/notes").then().statusCode(401)
                .body("code", equalTo("insufficient_scope"));
        as(reader).contentType("application/json").body("{}").delete("/storage/api/v1/repos/notes").then().statusCode(401)
                .body("code", equalTo("insufficient_scope"));
        // a merge preview reads; merging and restoring a commit write
        as(reader).get("/storage/api/v1/repos/merge/preview?source_branch=a&target_branch=b").then().statusCode(200)
                .body("echo.storage_repo", equalTo("alpha"));
        as(reader).contentType("application/json").body("{}").post("/storage/api/v1/repos/merge").then().statusCode(401)
                .body("code", equalTo("insufficient_scope"));
        as(reader).contentType("application/json").body("{}").post("/storage/api/v1/repos/restore-commit").then().statusCode(401)
                .body("code", equalTo("insufficient_scope"));
        String orgWide = jwt(ecIssuer, ec.getPrivate(), es, "org", List.of("git:read", "org:read"), 600);
        as(orgWide).get("/storage/api/v1/repos/branches").then().statusCode(403).body("code", equalTo("forbidden"));
        // listing the organization's repositories is the one org-wide route, and needs org:read
        as(orgWide).get("/storage/api/v1/repos").then().statusCode(200).body("echo.storage_repo", equalTo("org"));
        as(jwt(ecIssuer, ec.getPrivate(), es, "org", List.of("git:read"), 600)).get("/storage/api/v1/repos")
                .then().statusCode(401).body("code", equalTo("insufficient_scope"));
        // git credentials: repo:write; update and delete take the org-wide JWT, create the repository's
        String orgWriter = jwt(ecIssuer, ec.getPrivate(), es, "org", List.of("repo:write"), 600);
        as(orgWriter).contentType("application/json").body("{\"id\":\"gc_1\",\"password\":\"p\"}")
                .put("/storage/api/v1/repos/git-credentials").then().statusCode(200).body("echo.storage_repo", equalTo("org"));
        as(orgWriter).contentType("application/json").body("{\"id\":\"gc_1\"}")
                .delete("/storage/api/v1/repos/git-credentials").then().statusCode(200).body("echo.storage_repo", equalTo("org"));
        as(orgWriter).contentType("application/json").body("{}").post("/storage/api/v1/repos/git-credentials")
                .then().statusCode(403).body("code", equalTo("forbidden"));
        as(orgWide).contentType("application/json").body("{}").put("/storage/api/v1/repos/git-credentials")
                .then().statusCode(401).body("code", equalTo("insufficient_scope"));
        as(reader).contentType("application/json").body("{}").post("/storage/api/v1/repos/git-credentials")
                .then().statusCode(401).body("code", equalTo("insufficient_scope"));
        as(jwt(ecIssuer, ec.getPrivate(), es, "alpha", List.of("repo:write"), 600)).contentType("application/json")
                .body("{\"repo_id\":\"alpha\",\"password\":\"p\"}").post("/storage/api/v1/repos/git-credentials")
                .then().statusCode(200).body("echo.storage_repo", equalTo("alpha"));
    }

    @Test
    void clientsCannotForgeStorageHeadersOnOtherRoutes() {
        as(ADMIN_TOKEN).header("X-Shoal-Storage-Issuer", "forged").get("/api/v1/orgs/none-such/repos")
                .then().body("echo.storage_issuer", nullValue());
    }
}
