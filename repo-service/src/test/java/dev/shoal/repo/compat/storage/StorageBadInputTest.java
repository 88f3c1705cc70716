package dev.shoal.repo.compat.storage;

import static dev.shoal.repo.compat.storage.StorageApiTest.ALL;
import static dev.shoal.repo.compat.storage.StorageApiTest.as;
import static dev.shoal.repo.compat.storage.StorageApiTest.b64;
import static dev.shoal.repo.compat.storage.StorageApiTest.chunk;
import static dev.shoal.repo.compat.storage.StorageApiTest.commitPack;
import static dev.shoal.repo.compat.storage.StorageApiTest.create;
import static dev.shoal.repo.compat.storage.StorageApiTest.diffChunk;
import static dev.shoal.repo.compat.storage.StorageApiTest.head;
import static dev.shoal.repo.compat.storage.StorageApiTest.issuer;
import static dev.shoal.repo.compat.storage.StorageApiTest.meta;
import static dev.shoal.repo.compat.storage.StorageApiTest.ndjson;
import static dev.shoal.repo.compat.storage.StorageApiTest.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #5's bad input: malformed NDJSON, a chunk over 4 MiB, a content_id with no file and paths
 * with '..' (and their relatives) are each a 400 naming the reason, for commit-pack and diff-commit,
 * wherever in the body they come, and the branch (ordinary or ephemeral) stays where it was.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageBadInputTest {

    private static final String API = "/storage/api/v1/repos";
    private static final int MIB4 = 4 * 1024 * 1024;

    private static Map<String, Object> ephemeral(Map<String, Object> meta) {
        meta.put("ephemeral", true);
        return meta;
    }

    private static String ephemeralHead(String issuer, String repo) throws Exception {
        return as(issuer, repo, ALL).queryParam("branch", "draft").queryParam("ephemeral", "true").get(API + "/commits")
                .then().statusCode(200).extract().path("commits[0].sha");
    }

    private static void refused(String issuer, String repo, String path, String body, String reason) throws Exception {
        Response r = as(issuer, repo, ALL).contentType("application/x-ndjson").body(body).post(API + path);
        assertThat(r.statusCode()).as("%s: %s", reason, r.asString()).isEqualTo(400);
        r.then().body("code", equalTo("validation_failed"));
        assertThat((String) r.path("error")).as(r.asString()).contains(reason);
    }

    @Test
    void commitPackRefusesBadInputAnywhereInTheBodyAndMovesNothing() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "bad-input");
        String main = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        Map<String, Object> draft = ephemeral(meta("draft", null, List.of(upsert("d.txt", "d"))));
        draft.put("base_branch", "main");
        String eph = commitPack(issuer, repo, ndjson(draft, chunk("d", b64("d\n"), true))).then().statusCode(201)
                .extract().path("result.new_sha");

        List<Map<String, Object>> two = List.of(upsert("b.txt", "b"), upsert("c.txt", "c"));
        String okB = chunk("b", b64("b\n"), true);
        Map<String, String> cases = new LinkedHashMap<>();
        // malformed NDJSON: the first line, a line after good chunks, a line that is JSON but no chunk, a truncated body
        cases.put("{\"metadata\": {\"target_branch\": \"main\"\n", "line 1");
        cases.put(ndjson(meta("main", null, two), okB, "{\"blob_chunk\": {\"content_id\": \"c\", \"data\": "), "line 3");
        cases.put(ndjson(meta("main", null, two), okB, "[1, 2, 3]"), "line 3");
        cases.put(ndjson(meta("main", null, two), okB, "{\"diff_chunk\": {\"data\": \"\", \"eof\": true}}"), "line 3");
        cases.put(ndjson(meta("main", null, two), okB, "{\"blob_chunk\": {\"content_id\": \"c\", \"data\": 42, \"eof\": true}}"),
                "line 3");
        cases.put(ndjson(meta("main", null, two), okB), "got no blob_chunk with \"eof\": true");
        // over 4 MiB: one byte too many, and a line so long it is refused before it is read whole
        cases.put(ndjson(meta("main", null, two), okB, chunk("c", Base64.getEncoder().encodeToString(new byte[MIB4 + 1]), true)),
                "4 MiB");
        cases.put(ndjson(meta("main", null, two), okB, "{\"blob_chunk\": {\"content_id\": \"c\", \"data\": \""
                + "A".repeat(5_700_000) + "\", \"eof\": true}}"), "4 MiB");
        // a content_id that names no file, after a good one; and a second eof for the same file
        cases.put(ndjson(meta("main", null, two), okB, chunk("nope", b64("x"), true)), "'nope' names no file");
        cases.put(ndjson(meta("main", null, two), okB, okB), "already had its eof chunk");
        // '..' and its relatives, in upserts and deletes
        for (String path : List.of("../a.txt", "docs/../../a.txt", "docs/..", "..", "./a.txt", "a//b", "a\\..\\b", "a\u0000b",
                "docs/.git/hooks/x", ".GIT/config")) {
            String reason = path.toLowerCase().contains(".git") ? ".git" : "must not contain '..'";
            cases.put(ndjson(meta("main", null, List.of(upsert(path, "b"))), okB), reason);
            cases.put(ndjson(meta("main", null, List.of(Map.of("path", path, "operation", "delete")))), reason);
        }
        for (Map.Entry<String, String> c : cases.entrySet()) {
            refused(issuer, repo, "/commit-pack", c.getKey(), c.getValue());
            // the same body aimed at the ephemeral branch leaves it alone too
            String body = c.getKey().replace("\"target_branch\":\"main\"", "\"target_branch\":\"draft\",\"ephemeral\":true");
            refused(issuer, repo, "/commit-pack", body, c.getValue());
        }
        assertThat(head(issuer, repo, "main")).isEqualTo(main);
        assertThat(ephemeralHead(issuer, repo)).isEqualTo(eph);
        as(issuer, repo, ALL).get(API + "/files").then().body("paths", equalTo(List.of("a.txt")));
        // the NUL is named, not echoed raw
        Response nul = as(issuer, repo, ALL).contentType("application/x-ndjson")
                .body(ndjson(meta("main", null, List.of(upsert("a\u0000b", "b"))), okB)).post(API + "/commit-pack");
        assertThat((String) nul.path("error")).contains("a\\u0000b").doesNotContain("\u0000");

        // exactly 4 MiB in one chunk is allowed: the limit is inclusive
        byte[] big = new byte[MIB4];
        big[MIB4 - 1] = 7;
        commitPack(issuer, repo, ndjson(meta("main", main, List.of(upsert("big.bin", "g"))),
                chunk("g", Base64.getEncoder().encodeToString(big), true))).then().statusCode(201);
        byte[] back = as(issuer, repo, ALL).queryParam("path", "big.bin").get(API + "/file").then().statusCode(200)
                .extract().asByteArray();
        assertThat(back).hasSize(MIB4);
        assertThat(back[MIB4 - 1]).isEqualTo((byte) 7);
    }

    @Test
    void diffCommitRefusesBadInputAndMovesNothing() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "bad-diff");
        String main = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        Map<String, Object> m = meta("main", null, List.of());
        m.remove("files");
        String good = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+A\n";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(ndjson(m, diffChunk(good.substring(0, 10), false), "{\"diff_chunk\": "), "line 3");
        cases.put(ndjson(m, "{\"blob_chunk\": {\"content_id\": \"a\", \"data\": \"\", \"eof\": true}}"), "line 2");
        cases.put(ndjson(m, "{\"diff_chunk\": {\"data\": \"" + Base64.getEncoder().encodeToString(new byte[MIB4 + 1])
                + "\", \"eof\": true}}"), "4 MiB");
        cases.put(ndjson(m, diffChunk(good, false)), "eof");
        for (String path : List.of("../escape.txt", "docs/../../escape.txt", ".git/config")) {
            String patch = "diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n--- /dev/null\n+++ b/" + path
                    + "\n@@ -0,0 +1 @@\n+x\n";
            cases.put(ndjson(m, diffChunk(patch, true)), path.contains(".git") ? ".git" : "must not contain '..'");
            String rename = "diff --git a/a.txt b/" + path + "\nsimilarity index 100%\nrename from a.txt\nrename to " + path + "\n";
            cases.put(ndjson(m, diffChunk(rename, true)), path.contains(".git") ? ".git" : "must not contain '..'");
        }
        for (Map.Entry<String, String> c : cases.entrySet()) {
            refused(issuer, repo, "/diff-commit", c.getKey(), c.getValue());
        }
        assertThat(head(issuer, repo, "main")).isEqualTo(main);
        as(issuer, repo, ALL).get(API + "/files").then().body("paths", equalTo(List.of("a.txt")));
        assertThat(new String(as(issuer, repo, ALL).queryParam("path", "a.txt").get(API + "/file").asByteArray(),
                StandardCharsets.UTF_8)).isEqualTo("a\n");
    }
}
