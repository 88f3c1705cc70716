package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.testing.InternalKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SSH keys (issue 23) through the public API, with keys made by the real {@code ssh-keygen}, and the
 * internal questions the SSH server asks, with repo-service's own service token.
 */
@QuarkusTest
@GatewayTestResources
class SshKeyApiTest {

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Test
    void aUserAddsListsAndDeletesKeysWithSshKeygensFingerprint() throws Exception {
        String user = Api.unique("kim");
        Api.createUser(user);
        String token = Api.tokenFor(user, "write");
        Key key = Key.generate("ed25519");
        Response added = as(token).body(Map.of("title", "laptop", "key", key.publicLine + " kim@laptop")).post("/api/v1/user/keys");
        added.then().statusCode(201)
                .body("data.title", equalTo("laptop"))
                .body("data.fingerprint", equalTo(key.fingerprint))
                .body("data.key", equalTo(key.publicLine))
                .body("data.created_at", notNullValue())
                .body("data.last_used_at", nullValue())
                .body("data", not(org.hamcrest.Matchers.hasKey("read_only")));
        long id = ((Number) added.path("data.id")).longValue();
        as(token).get("/api/v1/user/keys").then().statusCode(200)
                .body("data.fingerprint", hasItem(key.fingerprint)).body("pagination.total", equalTo(1));
        as(token).get("/api/v1/user/keys/" + id).then().statusCode(200).body("data.title", equalTo("laptop"));
        // someone else's key id is not found
        String other = Api.unique("lee");
        Api.createUser(other);
        String otherToken = Api.tokenFor(other, "write");
        as(otherToken).get("/api/v1/user/keys/" + id).then().statusCode(404);
        as(otherToken).delete("/api/v1/user/keys/" + id).then().statusCode(404);
        // a read token lists but cannot add or delete
        String readToken = Api.tokenFor(user, "read");
        as(readToken).get("/api/v1/user/keys").then().statusCode(200);
        as(readToken).delete("/api/v1/user/keys/" + id).then().statusCode(403).body("error.message", containsString("'write' scope"));
        as(readToken).body(Map.of("title", "x", "key", Key.generate("ed25519").publicLine)).post("/api/v1/user/keys")
                .then().statusCode(403);
        as(token).delete("/api/v1/user/keys/" + id).then().statusCode(204);
        as(token).get("/api/v1/user/keys/" + id).then().statusCode(404).body("error.message", containsString("not found"));
        as(token).get("/api/v1/user/keys/abc").then().statusCode(404).body("error.message", containsString("not found"));
    }

    @Test
    void rsaEcdsaAcceptedWeakDsaMalformedAndDuplicateKeysRefused() throws Exception {
        String user = Api.unique("val");
        Api.createUser(user);
        String token = Api.tokenFor(user, "write");
        for (String[] kind : new String[][] {{"rsa", "-b", "3072"}, {"ecdsa", "-b", "384"}}) {
            Key key = Key.generate(kind);
            as(token).body(Map.of("title", kind[0], "key", key.publicLine)).post("/api/v1/user/keys").then().statusCode(201)
                    .body("data.fingerprint", equalTo(key.fingerprint));
        }
        Key weak = Key.generate("rsa", "-b", "1024");
        refused(token, weak.publicLine, "RSA key of 1024 bits; at least 2048");
        refused(token, dsaLine(), "DSA keys (ssh-dss) are not accepted");
        refused(token, "ssh-ed25519 not*base64", "not valid base64");
        Key good = Key.generate("ed25519");
        String blob = good.publicLine.split(" ")[1];
        String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(Base64.getDecoder().decode(blob), 30));
        refused(token, "ssh-ed25519 " + truncated, "data ends before");
        refused(token, "ssh-rsa " + blob, "says it is 'ssh-rsa' but its data is a 'ssh-ed25519' key");
        refused(token, "-----BEGIN OPENSSH PRIVATE KEY-----", "PEM block");
        refused(token, "", "key is required");
        as(token).body(Map.of("title", "", "key", good.publicLine)).post("/api/v1/user/keys").then().statusCode(400)
                .body("error.message", containsString("title must be 1-100"));
        as(token).body(Map.of("title", "t", "key", good.publicLine, "read_only", false)).post("/api/v1/user/keys").then()
                .statusCode(400).body("error.message", containsString("deploy keys only"));
        as(token).body("{not json").post("/api/v1/user/keys").then().statusCode(400);
        as(token).body(Map.of("title", 5, "key", 7)).post("/api/v1/user/keys").then().statusCode(400);
        as(token).body("x".repeat(70_000)).post("/api/v1/user/keys").then().statusCode(413);
        // unique across the site: the same key, for another user or as a deploy key, is a conflict
        as(token).body(Map.of("title", "one", "key", good.publicLine)).post("/api/v1/user/keys").then().statusCode(201);
        as(token).body(Map.of("title", "again", "key", good.publicLine + " other comment")).post("/api/v1/user/keys")
                .then().statusCode(409).body("error.message", containsString(good.fingerprint));
        String other = Api.unique("wes");
        Api.createUser(other);
        as(Api.tokenFor(other, "write")).body(Map.of("title", "mine", "key", good.publicLine)).post("/api/v1/user/keys")
                .then().statusCode(409).body("error.message", not(containsString(user)));
        as(token).get("/api/v1/user/keys").then().body("pagination.total", equalTo(3));
    }

    @Test
    void siteAdminsManageAnyUsersKeysOthersCannot() throws Exception {
        String user = Api.unique("ada");
        Api.createUser(user);
        Key key = Key.generate("ed25519");
        Response added = as(ADMIN_TOKEN).body(Map.of("title", "given", "key", key.publicLine))
                .post("/api/v1/admin/users/" + user + "/keys");
        added.then().statusCode(201).body("data.fingerprint", equalTo(key.fingerprint));
        long id = ((Number) added.path("data.id")).longValue();
        as(Api.tokenFor(user, "read")).get("/api/v1/user/keys").then().body("data.id", hasItem((int) id));
        as(ADMIN_TOKEN).get("/api/v1/admin/users/" + user + "/keys").then().statusCode(200).body("pagination.total", equalTo(1));
        as(ADMIN_TOKEN).get("/api/v1/admin/users/" + user + "/keys/" + id).then().statusCode(200);
        as(Api.tokenFor(user, "admin")).get("/api/v1/admin/users/" + user + "/keys").then().statusCode(403);
        as(ADMIN_TOKEN).get("/api/v1/admin/users/nobody-" + Api.unique("") + "/keys").then().statusCode(404);
        as(ADMIN_TOKEN).delete("/api/v1/admin/users/" + user + "/keys/" + id).then().statusCode(204);
        as(ADMIN_TOKEN).get("/api/v1/admin/users/" + user + "/keys").then().body("pagination.total", equalTo(0));
    }

    @Test
    void deployKeysBelongToTheirRepositoryAndItsOwners() throws Exception {
        RepoFixture.OwnedSite site = RepoFixture.ownedSite(pool, outbox, "dko", "dk");
        String member = Api.unique("dkm");
        Api.createUser(member);
        Api.addMember(site.ownerToken(), site.org(), member, "member");
        String base = "/api/v1/repos/" + site.org() + "/site/keys";
        Key key = Key.generate("ed25519");
        Response added = as(site.ownerToken()).body(Map.of("title", "ci", "key", key.publicLine)).post(base);
        added.then().statusCode(201).body("data.read_only", equalTo(true)).body("data.fingerprint", equalTo(key.fingerprint));
        Key writer = Key.generate("ed25519");
        as(site.ownerToken()).body(Map.of("title", "deployer", "key", writer.publicLine, "read_only", false)).post(base)
                .then().statusCode(201).body("data.read_only", equalTo(false));
        as(site.ownerToken()).get(base).then().statusCode(200).body("pagination.total", equalTo(2));
        as(Api.tokenFor(member, "write")).get(base).then().statusCode(403);
        as(Api.tokenFor(member, "write")).body(Map.of("title", "x", "key", Key.generate("ed25519").publicLine)).post(base)
                .then().statusCode(403);
        as(site.ownerToken()).get("/api/v1/repos/" + site.org() + "/nothing/keys").then().statusCode(404);
        long id = ((Number) added.path("data.id")).longValue();
        as(site.ownerToken()).delete(base + "/" + id).then().statusCode(204);
        as(site.ownerToken()).get(base + "/" + id).then().statusCode(404);
    }

    @Test
    void theSshServersQuestionsAreAnsweredByTheHttpRules() throws Exception {
        RepoFixture.OwnedSite site = RepoFixture.ownedSite(pool, outbox, "sso", "ss");
        long orgId = ((Number) as(null).get("/api/v1/orgs/" + site.org()).then().extract().path("data.id")).longValue();
        RepoFixture.announce(pool, outbox, orgId, site.org(), "hidden", true, site.ownerToken());
        String outsider = Api.unique("out");
        Api.createUser(outsider);
        Key outsiderKey = Key.generate("ed25519");
        long outsiderKeyId = ((Number) as(Api.tokenFor(outsider, "write")).body(Map.of("title", "k", "key", outsiderKey.publicLine))
                .post("/api/v1/user/keys").then().statusCode(201).extract().path("data.id")).longValue();
        Key ownerKey = Key.generate("ed25519");
        as(site.ownerToken()).body(Map.of("title", "k", "key", ownerKey.publicLine)).post("/api/v1/user/keys").then().statusCode(201);

        internal("/internal/ssh/keys/verify", Map.of("fingerprint", outsiderKey.fingerprint)).then().statusCode(200)
                .body("data.kind", equalTo("user")).body("data.name", equalTo(outsider));
        // reads a public repository, may not push to it, and a private one is exactly a missing one
        access(outsiderKey, site.org(), "site", "read").then().statusCode(200).body("data.login", equalTo(outsider))
                .body("data.token", notNullValue());
        access(outsiderKey, site.org(), "site", "write").then().statusCode(403).body("error.message", containsString("members"));
        String hidden = access(outsiderKey, site.org(), "hidden", "read").then().statusCode(404).extract().path("error.message");
        String missing = access(outsiderKey, site.org(), "absent", "read").then().statusCode(404).extract().path("error.message");
        assertThat(hidden).isEqualTo(missing);
        access(outsiderKey, "no-such-org", "x", "write").then().statusCode(404).body("error.message", equalTo(missing));
        access(ownerKey, site.org(), "hidden", "write").then().statusCode(200);
        as(Api.tokenFor(outsider, "read")).get("/api/v1/user/keys/" + outsiderKeyId).then().body("data.last_used_at", notNullValue());
        // deploy keys: their own repository only, writing only when writable
        String base = "/api/v1/repos/" + site.org() + "/hidden/keys";
        Key reader = Key.generate("ed25519");
        Key writer = Key.generate("ed25519");
        as(site.ownerToken()).body(Map.of("title", "ro", "key", reader.publicLine)).post(base).then().statusCode(201);
        as(site.ownerToken()).body(Map.of("title", "rw", "key", writer.publicLine, "read_only", false)).post(base).then().statusCode(201);
        access(reader, site.org(), "hidden", "read").then().statusCode(200);
        access(reader, site.org(), "hidden", "write").then().statusCode(403).body("error.message", containsString("read-only"));
        access(writer, site.org(), "hidden", "write").then().statusCode(200);
        access(writer, site.org(), "site", "read").then().statusCode(404).body("error.message", equalTo(missing));
        // a deleted key and a deactivated user are refused on the very next question
        as(Api.tokenFor(outsider, "write")).delete("/api/v1/user/keys/" + outsiderKeyId).then().statusCode(204);
        access(outsiderKey, site.org(), "site", "read").then().statusCode(404).body("error.code", equalTo("unknown_key"));
        String leaving = Api.unique("gone");
        Api.createUser(leaving);
        Key leavingKey = Key.generate("ed25519");
        as(Api.tokenFor(leaving, "write")).body(Map.of("title", "k", "key", leavingKey.publicLine)).post("/api/v1/user/keys")
                .then().statusCode(201);
        access(leavingKey, site.org(), "site", "read").then().statusCode(200);
        as(ADMIN_TOKEN).delete("/api/v1/admin/users/" + leaving).then().statusCode(204);
        access(leavingKey, site.org(), "site", "read").then().statusCode(403).body("error.message", containsString("deactivated"));
        // bad questions, and other services, get nothing
        internal("/internal/ssh/access", Map.of("fingerprint", ownerKey.fingerprint, "org", site.org(), "repo", "site",
                "action", "delete")).then().statusCode(400);
        access(ownerKey, site.org(), "../site", "read").then().statusCode(404);
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + InternalKeys.shared().serviceToken("issue-service", "api-gateway"))
                .body(Map.of("fingerprint", ownerKey.fingerprint)).post("/internal/ssh/keys/verify").then().statusCode(404);
        as(site.ownerToken()).body(Map.of("fingerprint", ownerKey.fingerprint)).post("/internal/ssh/keys/verify").then().statusCode(404);
    }

    private static Response access(Key key, String org, String repo, String action) {
        return internal("/internal/ssh/access", Map.of("fingerprint", key.fingerprint, "org", org, "repo", repo, "action", action));
    }

    private static Response internal(String path, Map<String, Object> body) {
        return given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + InternalKeys.shared().serviceToken("repo-service", "api-gateway"))
                .body(body).post(path);
    }

    private static void refused(String token, String key, String message) {
        as(token).body(Map.of("title", "t", "key", key)).post("/api/v1/user/keys").then().statusCode(400)
                .body("error.code", equalTo("validation_failed")).body("error.message", containsString(message));
    }

    /** A well-formed ssh-dss public key blob (ssh-keygen here no longer makes DSA keys). */
    private static String dsaLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (byte[] field : new byte[][] {"ssh-dss".getBytes(), BigInteger.valueOf(23).toByteArray(),
                BigInteger.valueOf(11).toByteArray(), BigInteger.valueOf(4).toByteArray(), BigInteger.valueOf(8).toByteArray()}) {
            out.writeInt(field.length);
            out.write(field);
        }
        return "ssh-dss " + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** A key pair made by ssh-keygen, with the fingerprint ssh-keygen prints for it. */
    record Key(String publicLine, String fingerprint) {

        static Key generate(String... typeAndArgs) throws Exception {
            Path dir = Files.createTempDirectory("sshkey");
            Path file = dir.resolve("key");
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("ssh-keygen", "-q", "-N", "", "-C", "test",
                    "-f", file.toString(), "-t"));
            command.addAll(java.util.List.of(typeAndArgs));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(output).isZero();
            Process print = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", file + ".pub").start();
            String fingerprint = new String(print.getInputStream().readAllBytes()).split(" ")[1];
            print.waitFor();
            String line = Files.readString(Path.of(file + ".pub")).strip();
            return new Key(line.substring(0, line.lastIndexOf(' ')), fingerprint);
        }
    }
}
