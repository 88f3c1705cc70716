package dev.shoal.repo.compat.storage;

import static dev.shoal.repo.compat.storage.StorageApiTest.ALL;
import static dev.shoal.repo.compat.storage.StorageApiTest.as;
import static dev.shoal.repo.compat.storage.StorageApiTest.b64;
import static dev.shoal.repo.compat.storage.StorageApiTest.chunk;
import static dev.shoal.repo.compat.storage.StorageApiTest.commitPack;
import static dev.shoal.repo.compat.storage.StorageApiTest.create;
import static dev.shoal.repo.compat.storage.StorageApiTest.head;
import static dev.shoal.repo.compat.storage.StorageApiTest.issuer;
import static dev.shoal.repo.compat.storage.StorageApiTest.meta;
import static dev.shoal.repo.compat.storage.StorageApiTest.ndjson;
import static dev.shoal.repo.compat.storage.StorageApiTest.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;
import org.junit.jupiter.api.Test;

/** The SDK's getFileStream and headFile: validators, byte ranges, conditional requests, ephemeral branches. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageFileTest {

    private static final String FILE = "/storage/api/v1/repos/file";
    private static final String DIGITS = "0123456789";

    @Test
    void theFileCarriesItsBlobAndLastCommitAndHeadAnswersTheSameWithoutTheBody() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/files");
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("src/digits.txt", "d"), upsert("b.txt", "b"))),
                chunk("d", b64(DIGITS), true), chunk("b", b64("b1"), true))).then().statusCode(201);
        String c1 = head(issuer, repo, "main");
        commitPack(issuer, repo, ndjson(meta("main", c1, List.of(upsert("b.txt", "b"))), chunk("b", b64("b2"), true)))
                .then().statusCode(201);
        String c2 = head(issuer, repo, "main");
        String blob = blobId(DIGITS);

        Response got = as(issuer, repo, ALL).queryParam("path", "src/digits.txt").get(FILE);
        got.then().statusCode(200).header("ETag", "\"" + blob + "\"").header("X-Blob-Sha", blob).header("X-Last-Commit-Sha", c1)
                .header("Accept-Ranges", "bytes").header("Content-Length", "10");
        assertThat(got.asString()).isEqualTo(DIGITS);
        String lastModified = got.header("Last-Modified");
        assertThat(lastModified).endsWith("GMT");
        as(issuer, repo, ALL).queryParam("path", "b.txt").get(FILE).then().statusCode(200).header("X-Last-Commit-Sha", c2);

        Response head = as(issuer, repo, ALL).queryParam("path", "src/digits.txt").head(FILE);
        head.then().statusCode(200).header("X-Blob-Sha", blob).header("X-Last-Commit-Sha", c1).header("Content-Length", "10")
                .header("Last-Modified", lastModified);
        assertThat(head.asByteArray()).isEmpty();
        as(issuer, repo, ALL).queryParam("path", "src/digits.txt").queryParam("ref", c1).head(FILE).then().statusCode(200);
        as(issuer, repo, ALL).queryParam("path", "nope.txt").head(FILE).then().statusCode(404);
    }

    @Test
    void rangesAndConditionsFollowHttp() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/ranges");
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("digits.txt", "d"))), chunk("d", b64(DIGITS), true)))
                .then().statusCode(201);
        String etag = "\"" + blobId(DIGITS) + "\"";
        String modified = as(issuer, repo, ALL).queryParam("path", "digits.txt").get(FILE).header("Last-Modified");

        assertRange(issuer, repo, "bytes=2-4", "234", "bytes 2-4/10");
        assertRange(issuer, repo, "bytes=7-", "789", "bytes 7-9/10");
        assertRange(issuer, repo, "bytes=-3", "789", "bytes 7-9/10");
        assertRange(issuer, repo, "bytes=8-100", "89", "bytes 8-9/10");
        file(issuer, repo, Map.of("Range", "bytes=10-")).then().statusCode(416).header("Content-Range", "bytes */10")
                .body("error", containsString("10 bytes"));
        // several ranges or bad syntax: ignored, the whole file
        assertWhole(file(issuer, repo, Map.of("Range", "bytes=0-1,4-5")));
        assertWhole(file(issuer, repo, Map.of("Range", "lines=1-2")));

        file(issuer, repo, Map.of("If-None-Match", etag)).then().statusCode(304).header("ETag", etag);
        assertThat(file(issuer, repo, Map.of("If-None-Match", etag)).asByteArray()).isEmpty();
        assertWhole(file(issuer, repo, Map.of("If-None-Match", "\"0000\"")));
        file(issuer, repo, Map.of("If-Modified-Since", modified)).then().statusCode(304);
        assertWhole(file(issuer, repo, Map.of("If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT")));

        file(issuer, repo, Map.of("If-Match", "\"0000\"")).then().statusCode(412).header("X-Blob-Sha", blobId(DIGITS))
                .body("error", containsString("If-Match"));
        assertWhole(file(issuer, repo, Map.of("If-Match", etag)));
        file(issuer, repo, Map.of("If-Unmodified-Since", "Mon, 01 Jan 2001 00:00:00 GMT")).then().statusCode(412);

        // If-Range: the range only while the client's copy is current
        assertWhole(file(issuer, repo, Map.of("Range", "bytes=0-1", "If-Range", "\"0000\"")));
        file(issuer, repo, Map.of("Range", "bytes=0-1", "If-Range", etag)).then().statusCode(206).body(equalTo("01"));
    }

    @Test
    void ephemeralBranchesAndBadInput() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/eph-files");
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("main"), true)))
                .then().statusCode(201);
        Map<String, Object> draft = meta("draft", null, List.of(upsert("a.txt", "a")));
        draft.put("ephemeral", true);
        draft.put("base_branch", "main");
        commitPack(issuer, repo, ndjson(draft, chunk("a", b64("draft"), true))).then().statusCode(201);

        as(issuer, repo, ALL).queryParam("path", "a.txt").queryParam("ref", "draft").queryParam("ephemeral", "true").get(FILE)
                .then().statusCode(200).body(equalTo("draft"));
        as(issuer, repo, ALL).queryParam("path", "a.txt").queryParam("ref", "draft").get(FILE).then().statusCode(404);
        as(issuer, repo, ALL).queryParam("path", "a.txt").queryParam("ephemeral", "maybe").get(FILE).then().statusCode(400)
                .body("error", containsString("ephemeral"));
        as(issuer, repo, ALL).queryParam("path", "../a.txt").get(FILE).then().statusCode(400);
        as(issuer, repo, ALL).queryParam("path", "/etc/passwd").get(FILE).then().statusCode(400);
        as(issuer, repo, ALL).queryParam("path", "a.txt\0").get(FILE).then().statusCode(400);
        as(issuer, repo, ALL).get(FILE).then().statusCode(400).body("error", containsString("path is required"));
    }

    private static void assertRange(String issuer, String repo, String range, String body, String contentRange) throws Exception {
        Response r = file(issuer, repo, Map.of("Range", range));
        r.then().statusCode(206).header("Content-Range", contentRange).header("Content-Length", String.valueOf(body.length()));
        assertThat(r.asString()).isEqualTo(body);
    }

    private static void assertWhole(Response r) {
        r.then().statusCode(200);
        assertThat(r.asString()).isEqualTo(DIGITS);
    }

    private static Response file(String issuer, String repo, Map<String, String> headers) throws Exception {
        return as(issuer, repo, ALL).headers(headers).queryParam("path", "digits.txt").get(FILE);
    }

    private static String blobId(String content) {
        try (ObjectInserter.Formatter f = new ObjectInserter.Formatter()) {
            return f.idFor(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)).name();
        }
    }
}
