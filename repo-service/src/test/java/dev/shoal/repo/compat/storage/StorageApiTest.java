package dev.shoal.repo.compat.storage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The Code Storage API with the identity the gateway forwards after verifying a Code Storage JWT:
 * an internal JWT of kind "storage" (login = issuer) plus the X-Shoal-Storage-* headers.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageApiTest {

    private static final String API = "/storage/api/v1/repos";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    static String internalToken(String issuer) throws Exception {
        String pem = Files.readString(InternalKeys.shared().privatePem("api-gateway"))
                .replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        return Jwt.issuer("api-gateway").audience("repo-service").subject("storage").claim("kind", "storage").claim("login", issuer).claim("site_admin", false)
                .claim("scopes", List.of()).claim("role", "none").claim("org_id", -7L)
                .expiresIn(600).jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.ES256).sign(key);
    }

    static RequestSpecification as(String issuer, String repo, String scopes) throws Exception {
        return given().config(io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/x-ndjson", io.restassured.http.ContentType.TEXT)))
                .auth().oauth2(internalToken(issuer))
                .header("X-Shoal-Storage-Issuer", issuer)
                .header("X-Shoal-Storage-Repo", repo)
                .header("X-Shoal-Storage-Scopes", scopes);
    }

    static final String ALL = "git:read git:write repo:write";

    static String issuer() {
        return "acme-" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 100000;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** An NDJSON body: the metadata line, then the given lines. */
    static String ndjson(Map<String, Object> metadata, String... lines) throws Exception {
        StringBuilder body = new StringBuilder(JSON.writeValueAsString(Map.of("metadata", metadata))).append('\n');
        for (String line : lines) {
            body.append(line).append('\n');
        }
        return body.toString();
    }

    static String chunk(String contentId, String base64, boolean eof) throws Exception {
        return JSON.writeValueAsString(Map.of("blob_chunk", Map.of("content_id", contentId, "data", base64, "eof", eof)));
    }

    static Map<String, Object> meta(String branch, String expected, List<Map<String, Object>> files) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target_branch", branch);
        if (expected != null) {
            m.put("expected_head_sha", expected);
        }
        m.put("commit_message", "change " + branch);
        m.put("author", Map.of("name", "Docs Bot", "email", "docs@example.com", "date", "2024-01-15T10:30:00Z"));
        m.put("files", files);
        return m;
    }

    static Map<String, Object> upsert(String path, String id) {
        return Map.of("path", path, "operation", "upsert", "content_id", id);
    }

    static Response commitPack(String issuer, String repo, String body) throws Exception {
        return as(issuer, repo, ALL).contentType("application/x-ndjson").body(body).post(API + "/commit-pack");
    }

    static String create(String issuer, String repo) throws Exception {
        as(issuer, repo, ALL).contentType("application/json").body("{}").post(API)
                .then().statusCode(201).body("id", equalTo(repo)).body("created_at", org.hamcrest.Matchers.notNullValue());
        return repo;
    }

    static String head(String issuer, String repo, String branch) throws Exception {
        return as(issuer, repo, ALL).queryParam("branch", branch).get(API + "/commits")
                .then().statusCode(200).extract().path("commits[0].sha");
    }

    @Test
    void createsRepositoriesOncePerIssuerAndId() throws Exception {
        String issuer = issuer();
        create(issuer, "team/project-alpha");
        as(issuer, "team/project-alpha", ALL).contentType("application/json").body("{\"default_branch\":\"trunk\"}").post(API)
                .then().statusCode(409).body("code", equalTo("conflict"));
        // another issuer may use the same id
        create(issuer(), "team/project-alpha");
        as(issuer, "team/project-beta", ALL).contentType("application/json").body("{\"default_branch\":\"a b\"}").post(API)
                .then().statusCode(400).body("error", containsString("default_branch"));
        as(issuer, "team/project-beta", ALL).contentType("application/json")
                .body("{\"base_repo\":{\"provider\":\"gitlub\",\"owner\":\"o\",\"name\":\"n\"}}").post(API)
                .then().statusCode(400).body("error", containsString("base_repo"));
        as(issuer, "team/project-beta", ALL).contentType("application/json").body("{\"nope\":1}").post(API)
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        as(issuer, "org", ALL).contentType("application/json").body("{}").post(API).then().statusCode(403);
        as(issuer, "team/project-beta", "git:read").contentType("application/json").body("{}").post(API).then().statusCode(401);
        as(issuer, "team/missing", ALL).get(API + "/files").then().statusCode(404).body("code", equalTo("not_found"));
        // a user token forwarded by mistake is not a storage caller
        given().auth().oauth2(InternalKeys.shared().userToken(1, "ada", List.of("read"), 1L, null, "owner"))
                .header("X-Shoal-Storage-Issuer", issuer).header("X-Shoal-Storage-Repo", "team/project-alpha")
                .get(API + "/files").then().statusCode(403);
        // the default branch becomes HEAD: the first commit-pack seeds it and files default to it
        create(issuer, "trunked");
        as(issuer, "trunked2", ALL).contentType("application/json").body("{\"default_branch\":\"trunk\"}").post(API).then().statusCode(201);
        commitPack(issuer, "trunked2", ndjson(meta("trunk", null, List.of(upsert("a.txt", "1"))), chunk("1", b64("a"), true)))
                .then().statusCode(201);
        as(issuer, "trunked2", ALL).get(API + "/files").then().statusCode(200)
                .body("ref", equalTo("trunk")).body("paths", equalTo(List.of("a.txt")));
    }

    @Test
    void commitPackWritesCommitsWithGuardsDeletesModesAndBaseBranches() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/pack");
        String body = ndjson(meta("main", null, List.of(upsert("docs/changelog.md", "blob-1"), upsert("run.sh", "blob-3"),
                        Map.of("path", "/docs/legacy.txt", "operation", "upsert", "content_id", "blob-2"))),
                chunk("blob-1", b64("# Version "), false), chunk("blob-3", b64("#!/bin/sh\n"), true),
                chunk("blob-1", b64("2.1.0\n"), true), chunk("blob-2", "", true));
        Response first = commitPack(issuer, repo, body);
        first.then().statusCode(201)
                .body("commit.target_branch", equalTo("main"))
                .body("commit.blob_count", equalTo(3))
                .body("result.branch", equalTo("main"))
                .body("result.old_sha", equalTo("0".repeat(40)))
                .body("result.success", equalTo(true))
                .body("result.status", equalTo("ok"))
                .body("result.message", equalTo(""));
        String c1 = first.path("result.new_sha");
        assertThat(c1).isEqualTo(first.path("commit.commit_sha")).hasSize(40);
        assertThat(((Number) first.path("commit.pack_bytes")).longValue()).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        byte[] bytes = as(issuer, repo, ALL).queryParam("path", "docs/changelog.md").get(API + "/file")
                .then().statusCode(200).extract().asByteArray();
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("# Version 2.1.0\n");
        as(issuer, repo, ALL).queryParam("path", "docs/legacy.txt").queryParam("ref", c1).get(API + "/file")
                .then().statusCode(200).header("Content-Length", "0");

        // wrong expected head: 409, nothing moves
        Map<String, Object> guarded = meta("main", "f".repeat(40), List.of(upsert("x.txt", "x")));
        commitPack(issuer, repo, ndjson(guarded, chunk("x", b64("x"), true)))
                .then().statusCode(409).body("code", equalTo("conflict")).body("error", containsString(c1));
        assertThat(head(issuer, repo, "main")).isEqualTo(c1);

        // right expected head, a delete and an executable mode
        Map<String, Object> second = meta("main", c1, List.of(Map.of("path", "docs/legacy.txt", "operation", "delete", "content_id", "d"),
                Map.of("path", "bin/tool", "content_id", "t", "mode", "100755")));
        Response two = commitPack(issuer, repo, ndjson(second, chunk("t", b64("tool"), true), chunk("d", "", true)));
        two.then().statusCode(201).body("result.old_sha", equalTo(c1));
        String c2 = two.path("result.new_sha");
        as(issuer, repo, ALL).get(API + "/files").then().statusCode(200).body("ref", equalTo("main"))
                .body("paths", equalTo(List.of("bin/tool", "docs/changelog.md", "run.sh")));
        as(issuer, repo, ALL).queryParam("sha", c2).get(API + "/diff").then().statusCode(200)
                .body("sha", equalTo(c2))
                .body("stats.files", equalTo(2))
                .body("files.find { it.path == 'bin/tool' }.state", equalTo("A"))
                .body("files.find { it.path == 'bin/tool' }.raw", containsString("new file mode 100755"))
                .body("files.find { it.path == 'docs/legacy.txt' }.state", equalTo("D"));

        // a new branch needs base_branch; a missing base is 404
        Map<String, Object> feature = meta("feature/auth", null, List.of(upsert("docs/changelog.md", "c")));
        commitPack(issuer, repo, ndjson(feature, chunk("c", b64("# Version 3\n"), true)))
                .then().statusCode(404).body("error", containsString("base_branch"));
        feature.put("base_branch", "nope");
        commitPack(issuer, repo, ndjson(feature, chunk("c", b64("# Version 3\n"), true)))
                .then().statusCode(404).body("error", containsString("'nope'"));
        feature.put("base_branch", "main");
        feature.put("expected_head_sha", c2);
        Response three = commitPack(issuer, repo, ndjson(feature, chunk("c", b64("# Version 3\n"), true)));
        three.then().statusCode(201).body("result.old_sha", equalTo("0".repeat(40))).body("result.branch", equalTo("feature/auth"));

        // branch diff (three-dot against main), branches with cursors, commits with skip cursors
        as(issuer, repo, ALL).queryParam("branch", "feature/auth").get(API + "/branches/diff").then().statusCode(200)
                .body("branch", equalTo("feature/auth")).body("base", equalTo("main"))
                .body("stats.files", equalTo(1)).body("stats.additions", equalTo(1)).body("stats.deletions", equalTo(1))
                .body("files[0].state", equalTo("M")).body("files[0].old_path", equalTo(""))
                .body("files[0].raw", containsString("+# Version 3"));
        as(issuer, repo, ALL).queryParam("branch", "nope").get(API + "/branches/diff").then().statusCode(404);
        as(issuer, repo, ALL).get(API + "/branches/diff").then().statusCode(400);
        as(issuer, repo, ALL).queryParam("branch", "main").queryParam("ephemeral", "maybe").get(API + "/branches/diff").then().statusCode(400);
        Response page1 = as(issuer, repo, ALL).queryParam("limit", 1).get(API + "/branches");
        page1.then().statusCode(200).body("branches[0].name", equalTo("main")).body("has_more", equalTo(true))
                .body("branches[0].head_sha", equalTo(c2)).body("branches[0]", hasKey("created_at"));
        as(issuer, repo, ALL).queryParam("limit", 1).queryParam("cursor", (String) page1.path("next_cursor")).get(API + "/branches")
                .then().statusCode(200).body("branches[0].name", equalTo("feature/auth"))
                .body("has_more", equalTo(false)).body("$", not(hasKey("next_cursor")));
        as(issuer, repo, ALL).queryParam("limit", 1).get(API + "/commits").then().statusCode(200)
                .body("commits[0].sha", equalTo(c2)).body("next_cursor", equalTo("1")).body("has_more", equalTo(true))
                .body("commits[0].parent_shas", equalTo(List.of(c1)))
                .body("commits[0].author_name", equalTo("Docs Bot")).body("commits[0].date", equalTo("2024-01-15T10:30:00Z"));
        as(issuer, repo, ALL).queryParam("limit", 1).queryParam("cursor", "1").get(API + "/commits").then().statusCode(200)
                .body("commits[0].sha", equalTo(c1)).body("has_more", equalTo(false));
        as(issuer, repo, ALL).queryParam("cursor", "abc").get(API + "/commits").then().statusCode(400);
        as(issuer, repo, ALL).queryParam("branch", "nope").get(API + "/commits").then().statusCode(404)
                .body("error", containsString("nope"));
        as(issuer, repo, ALL).queryParam("sha", "xyz").get(API + "/diff").then().statusCode(400);
        as(issuer, repo, ALL).queryParam("sha", "a".repeat(40)).get(API + "/diff").then().statusCode(404);

        // every write emitted repo.pushed like a push
        long repoId = pool.preparedQuery("SELECT repo_id FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(issuer, repo)).await().indefinitely().iterator().next().getLong(0);
        List<JsonObject> pushed = Outbox.events(pool, repoId, "repo.pushed");
        assertThat(pushed).hasSize(3);
        assertThat(pushed.get(1).getJsonObject("data").getString("before")).isEqualTo(c1);
        assertThat(pushed.get(1).getJsonObject("data").getString("after")).isEqualTo(c2);
        assertThat(pushed.get(1).getJsonObject("data").getJsonObject("pusher").getString("login")).isEqualTo(issuer);
    }

    @Test
    void badBodiesAre400WithTheReasonAndLeaveTheBranchAlone() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "bad");
        String c1 = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        Map<String, Object> ok = meta("main", null, List.of(upsert("b.txt", "b")));
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(ndjson(ok, "{\"blob_chunk\": {\"content_id\": \"b\", "), "line 2");
        cases.put("not json\n", "line 1");
        cases.put("", "empty");
        cases.put(ndjson(ok, chunk("b", Base64.getEncoder().encodeToString(new byte[4 * 1024 * 1024 + 1]), true)), "4 MiB");
        cases.put(ndjson(ok, chunk("zzz", b64("z"), true)), "names no file");
        cases.put(ndjson(ok, chunk("b", b64("b"), false)), "no blob_chunk with \"eof\": true");
        cases.put(ndjson(ok, chunk("b", "!!!", true)), "base64");
        cases.put(ndjson(meta("main", null, List.of(upsert("docs/../../etc/passwd", "b"))), chunk("b", b64("b"), true)), "'..'");
        cases.put(ndjson(meta("main", null, List.of(upsert("x/.git/config", "b"))), chunk("b", b64("b"), true)), ".git");
        cases.put(ndjson(meta("main", null, List.of(upsert("a.txt/b", "b"))), chunk("b", b64("b"), true)), "is a file");
        cases.put(ndjson(meta("main", null, List.of(upsert("b.txt", "b"), upsert("b.txt", "c"))), chunk("b", b64("b"), true)), "more than once");
        cases.put(ndjson(meta("main", null, List.of(Map.of("path", "b.txt", "content_id", "b", "mode", "777"))), chunk("b", b64("b"), true)), "mode");
        cases.put(ndjson(meta("main", null, List.of(Map.of("path", "b.txt", "operation", "rename", "content_id", "b")))), "operation");
        Map<String, Object> noAuthor = meta("main", null, List.of());
        noAuthor.remove("author");
        cases.put(ndjson(noAuthor), "author");
        Map<String, Object> badDate = meta("main", null, List.of());
        badDate.put("author", Map.of("name", "n", "email", "e@x", "date", "yesterday"));
        cases.put(ndjson(badDate), "ISO 8601");
        Map<String, Object> unknown = meta("main", null, List.of());
        unknown.put("surprise", true);
        cases.put(ndjson(unknown), "surprise");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Response r = commitPack(issuer, repo, c.getKey());
            assertThat(r.statusCode()).as("case '%s': %s", c.getValue(), r.asString()).isEqualTo(400);
            r.then()
                    .body("code", equalTo("validation_failed"))
                    .body("error", containsString(c.getValue()));
        }
        assertThat(head(issuer, repo, "main")).isEqualTo(c1);
        as(issuer, repo, ALL).get(API + "/files").then().body("paths", equalTo(List.of("a.txt")));
        as(issuer, repo, ALL).queryParam("path", "../a.txt").get(API + "/file").then().statusCode(400);
        as(issuer, repo, ALL).get(API + "/file").then().statusCode(400).body("error", containsString("path is required"));
        as(issuer, repo, ALL).queryParam("path", "nope.txt").get(API + "/file").then().statusCode(404);
        as(issuer, repo, ALL).queryParam("ref", "nope").get(API + "/files").then().statusCode(404);
        as(issuer, repo, "git:read").contentType("application/x-ndjson").body("x").post(API + "/commit-pack").then().statusCode(401);
    }

    @Test
    void diffCommitAppliesPatchesAndReportsConflicts() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "patchy");
        String c1 = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("hello.txt", "h"))),
                chunk("h", b64("one\ntwo\nthree\n"), true))).then().statusCode(201).extract().path("result.new_sha");
        String patch = "diff --git a/hello.txt b/hello.txt\n--- a/hello.txt\n+++ b/hello.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n"
                + "diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+fresh\n";
        Map<String, Object> m = meta("main", c1, List.of());
        m.remove("files");
        String half = patch.substring(0, 40);
        Response applied = as(issuer, repo, ALL).contentType("application/x-ndjson")
                .body(ndjson(m, diffChunk(half, false), diffChunk(patch.substring(40), true))).post(API + "/diff-commit");
        applied.then().statusCode(201).body("result.success", equalTo(true)).body("result.old_sha", equalTo(c1));
        String c2 = applied.path("result.new_sha");
        assertThat(new String(as(issuer, repo, ALL).queryParam("path", "hello.txt").get(API + "/file").asByteArray(),
                StandardCharsets.UTF_8)).isEqualTo("one\nTWO\nthree\n");
        as(issuer, repo, ALL).get(API + "/files").then().body("paths", hasItems("hello.txt", "new.txt"));
        // the same patch again no longer applies: success=false, nothing moves
        m.put("expected_head_sha", c2);
        as(issuer, repo, ALL).contentType("application/x-ndjson").body(ndjson(m, diffChunk(patch, true))).post(API + "/diff-commit")
                .then().statusCode(409).body("result.success", equalTo(false)).body("result.status", equalTo("conflict"))
                .body("result.new_sha", equalTo(c2)).body("$", not(hasKey("commit")));
        assertThat(head(issuer, repo, "main")).isEqualTo(c2);
        as(issuer, repo, ALL).contentType("application/x-ndjson").body(ndjson(m, diffChunk(patch, false))).post(API + "/diff-commit")
                .then().statusCode(400).body("error", containsString("eof"));
        as(issuer, repo, ALL).contentType("application/x-ndjson").body(ndjson(m, diffChunk("", true))).post(API + "/diff-commit")
                .then().statusCode(400).body("result.status", equalTo("empty"));
    }

    static String diffChunk(String text, boolean eof) throws Exception {
        return JSON.writeValueAsString(Map.of("diff_chunk", Map.of("data", b64(text), "eof", eof)));
    }

    @Test
    void commitPackThroughputForAThousandFiles() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "bench/thousand");
        int files = 1000;
        int size = 16 * 1024;
        List<Map<String, Object>> ops = new ArrayList<>();
        List<String> chunks = new ArrayList<>();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < files; i++) {
            ops.add(upsert("src/dir" + (i % 20) + "/file" + i + ".txt", "c" + i));
            byte[] content = new byte[size];
            random.nextBytes(content);
            chunks.add(chunk("c" + i, Base64.getEncoder().encodeToString(content), true));
        }
        String body = ndjson(meta("main", null, ops), chunks.toArray(String[]::new));
        RequestSpecification spec = as(issuer, repo, ALL).contentType("application/x-ndjson").body(body);
        long start = System.nanoTime();
        Response response = spec.post(API + "/commit-pack");
        double seconds = (System.nanoTime() - start) / 1e9;
        response.then().statusCode(201).body("commit.blob_count", equalTo(files));
        double mb = files * (double) size / (1024 * 1024);
        System.out.printf("commit-pack throughput: %d files, %.1f MiB of content in %.2f s = %.1f MiB/s%n",
                files, mb, seconds, mb / seconds);
        as(issuer, repo, ALL).get(API + "/files").then().body("paths.size()", equalTo(files));
    }

    @Test
    void gitSmartHttpServesStorageRepositoriesWithTheirScopes() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "gitrepo");
        String c1 = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("README.md", "r"))), chunk("r", b64("hi\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        String url = "http://localhost:" + io.restassured.RestAssured.port + "/storage/" + repo + ".git";
        java.nio.file.Path work = Files.createTempDirectory("storage-git");
        assertThat(git(work, issuer, repo, "git:read", "clone", url, "clone").exit()).isZero();
        java.nio.file.Path clone = work.resolve("clone");
        assertThat(Files.readString(clone.resolve("README.md"))).isEqualTo("hi\n");
        Files.writeString(clone.resolve("pushed.txt"), "from git\n");
        git(clone, issuer, repo, "git:read", "add", "pushed.txt");
        git(clone, issuer, repo, "git:read", "commit", "-m", "pushed");
        GitResult refused = git(clone, issuer, repo, "git:read", "push", "origin", "main");
        assertThat(refused.exit()).as(refused.out()).isNotZero();
        assertThat(head(issuer, repo, "main")).isEqualTo(c1);
        GitResult pushed = git(clone, issuer, repo, "git:read git:write", "push", "origin", "main");
        assertThat(pushed.exit()).as(pushed.out()).isZero();
        as(issuer, repo, ALL).get(API + "/files").then().body("paths", equalTo(List.of("README.md", "pushed.txt")));
        // a token for another repository cannot read this one
        GitResult other = git(work, issuer, "someone-else", "git:read", "clone", url, "other");
        assertThat(other.exit()).isNotZero();
        assertThat(other.out()).contains("403");
    }

    record GitResult(int exit, String out) {
    }

    static GitResult git(java.nio.file.Path dir, String issuer, String repo, String scopes, String... args) throws Exception {
        return gitWithJwt(dir, internalToken(issuer), issuer, repo, scopes, args);
    }

    /** Real git with the headers the gateway would set for a Code Storage token ({@code jwt} the internal token). */
    static GitResult gitWithJwt(java.nio.file.Path dir, String jwt, String issuer, String repo, String scopes, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("git",
                "-c", "http.extraHeader=Authorization: Bearer " + jwt,
                "-c", "http.extraHeader=X-Shoal-Storage-Issuer: " + issuer,
                "-c", "http.extraHeader=X-Shoal-Storage-Repo: " + repo,
                "-c", "http.extraHeader=X-Shoal-Storage-Scopes: " + scopes,
                "-c", "user.name=Git User", "-c", "user.email=git@example.com"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new GitResult(p.waitFor(), out);
    }
}
