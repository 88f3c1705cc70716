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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SDK getArchiveStream: the body is a real tar.gz, checked with the system's {@code tar} and
 * {@code git get-tar-commit-id} (entries, modes, symlinks, long and non-ASCII names, contents).
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageArchiveTest {

    private static final String ARCHIVE = "/storage/api/v1/repos/archive";
    private static final String LONG = "deep/" + "d".repeat(60) + "/" + "f".repeat(60) + ".txt";
    private static final String UNICODE = "naïve-ü.txt";

    /** {repo, c1, c2}: c1 has README.md only; c2 adds an executable, a symlink, docs, a big blob, long and non-ASCII names. */
    static String[] seeded(String issuer, String name) throws Exception {
        String repo = create(issuer, name);
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("README.md", "r"))), chunk("r", b64("first\n"), true)))
                .then().statusCode(201);
        String c1 = head(issuer, repo, "main");
        List<Map<String, Object>> ops = List.of(
                upsert("README.md", "r"),
                Map.of("path", "bin/run.sh", "operation", "upsert", "content_id", "x", "mode", "100755"),
                Map.of("path", "link", "operation", "upsert", "content_id", "l", "mode", "120000"),
                upsert("docs/guide.md", "g"), upsert("docs/drafts/wip.md", "w"), upsert("big.bin", "b"),
                upsert(LONG, "n"), upsert(UNICODE, "u"));
        String body = ndjson(meta("main", c1, ops), chunk("r", b64("hello\n"), true),
                chunk("x", b64("#!/bin/sh\necho hi\n"), true), chunk("l", b64("README.md"), true),
                chunk("g", b64("guide\n"), true), chunk("w", b64("wip\n"), true), chunk("b", b64("x".repeat(5000)), true),
                chunk("n", b64("long\n"), true), chunk("u", b64("unicode\n"), true));
        // as bytes: the non-ASCII path must reach the service as UTF-8, not in the client's default text charset
        as(issuer, repo, ALL).contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/storage/api/v1/repos/commit-pack").then().log().ifValidationFails().statusCode(201);
        return new String[] {repo, c1, head(issuer, repo, "main")};
    }

    record Tar(Path dir, Map<String, String> modes, String commitId) {
        String read(String path) throws Exception {
            return Files.readString(dir.resolve(path));
        }

        List<String> names() {
            return new ArrayList<>(modes.keySet());
        }
    }

    /** Writes the body to disk, lists it with {@code tar -tv}, extracts it, and asks git for the commit id. */
    static Tar untar(byte[] body) throws Exception {
        Path work = Files.createTempDirectory("storage-archive");
        Path file = work.resolve("a.tar.gz");
        Files.write(file, body);
        Path out = Files.createDirectory(work.resolve("out"));
        Map<String, String> modes = new HashMap<>();
        for (String line : run(work, "tar", "-tvzf", file.toString()).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            // -rwxr-xr-x root/root 18 2024-01-15 10:30 bin/run.sh  |  lrwxrwxrwx ... link -> README.md
            String[] parts = line.trim().split("\\s+", 6);
            String name = parts[5].contains(" -> ") ? parts[5].substring(0, parts[5].indexOf(" -> ")) : parts[5];
            modes.put(name, parts[0]);
        }
        run(work, "tar", "-xzf", file.toString(), "-C", out.toString());
        Path raw = work.resolve("a.tar");
        run(work, "sh", "-c", "gzip -dc a.tar.gz > a.tar");
        String commitId = run(work, "sh", "-c", "git get-tar-commit-id < " + raw.getFileName()).trim();
        return new Tar(out, modes, commitId);
    }

    static String run(Path dir, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    static Response archive(String issuer, String repo, String body) throws Exception {
        var spec = as(issuer, repo, ALL);
        return body == null ? spec.post(ARCHIVE) : spec.contentType("application/json").body(body).post(ARCHIVE);
    }

    @Test
    void theDefaultBranchAsATarGzWithModesSymlinksAndLongNames() throws Exception {
        String issuer = issuer();
        String[] s = seeded(issuer, "team/archive");
        // the SDK sends no body (and so no Content-Type) when no option is set
        Response response = archive(issuer, s[0], null);
        response.then().statusCode(200).header("Content-Type", equalTo("application/gzip"))
                .header("Content-Disposition", equalTo("attachment; filename=\"team_archive-main.tar.gz\""))
                .header("Cache-Control", equalTo("no-store"));
        Tar tar = untar(response.asByteArray());
        assertThat(tar.commitId()).isEqualTo(s[2]);
        assertThat(tar.names()).containsExactlyInAnyOrder("README.md", "bin/run.sh", "link", "docs/guide.md", "docs/drafts/wip.md",
                "big.bin", LONG, UNICODE);
        assertThat(tar.modes().get("bin/run.sh")).isEqualTo("-rwxr-xr-x");
        assertThat(tar.modes().get("README.md")).isEqualTo("-rw-r--r--");
        assertThat(tar.modes().get("link")).isEqualTo("lrwxrwxrwx");
        assertThat(tar.read("README.md")).isEqualTo("hello\n");
        assertThat(tar.read("bin/run.sh")).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(Files.getPosixFilePermissions(tar.dir().resolve("bin/run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(tar.dir().resolve("README.md"))).doesNotContain(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.isSymbolicLink(tar.dir().resolve("link"))).isTrue();
        assertThat(Files.readSymbolicLink(tar.dir().resolve("link")).toString()).isEqualTo("README.md");
        assertThat(tar.read("big.bin")).isEqualTo("x".repeat(5000));
        assertThat(tar.read(LONG)).isEqualTo("long\n");
        assertThat(tar.read(UNICODE)).isEqualTo("unicode\n");

        // an empty JSON object, or the SDK's Content-Type: application/json with no body, is the same as none
        assertThat(untar(archive(issuer, s[0], "{}").then().statusCode(200).extract().asByteArray()).names()).hasSize(8);
        assertThat(untar(as(issuer, s[0], ALL).contentType("application/json").post(ARCHIVE).then().statusCode(200)
                .extract().asByteArray()).names()).hasSize(8);
    }

    @Test
    void refGlobsBlobSizeAndPrefixShapeTheArchive() throws Exception {
        String issuer = issuer();
        String[] s = seeded(issuer, "archive-options");
        String repo = s[0];

        Response old = archive(issuer, repo, "{\"ref\":\"" + s[1] + "\"}");
        old.then().statusCode(200).header("Content-Disposition", containsString(s[1]));
        Tar first = untar(old.asByteArray());
        assertThat(first.names()).containsExactly("README.md");
        assertThat(first.read("README.md")).isEqualTo("first\n");
        assertThat(first.commitId()).isEqualTo(s[1]);

        Tar filtered = untar(archive(issuer, repo, "{\"include_globs\":[\"docs/**\",\"README.md\"],\"exclude_globs\":[\"**/drafts/**\"],"
                + "\"archive\":{\"prefix\":\"pkg\"}}").then().statusCode(200).extract().asByteArray());
        assertThat(filtered.names()).containsExactlyInAnyOrder("pkg/README.md", "pkg/docs/guide.md");
        assertThat(filtered.read("pkg/docs/guide.md")).isEqualTo("guide\n");

        Tar nested = untar(archive(issuer, repo, "{\"archive\":{\"prefix\":\"a/b/\"},\"include_globs\":[\"*.sh\"]}")
                .then().statusCode(200).extract().asByteArray());
        assertThat(nested.names()).containsExactly("a/b/bin/run.sh");
        assertThat(nested.modes().get("a/b/bin/run.sh")).isEqualTo("-rwxr-xr-x");

        Tar small = untar(archive(issuer, repo, "{\"max_blob_size\":100}").then().statusCode(200).extract().asByteArray());
        assertThat(small.names()).hasSize(7).doesNotContain("big.bin").contains("README.md", "link");

        // include globs that match nothing: an empty archive, still 200
        byte[] empty = archive(issuer, repo, "{\"include_globs\":[\"*.nothing\"]}").then().statusCode(200).extract().asByteArray();
        assertThat(untar(empty).names()).isEmpty();
        try (Stream<Path> files = Files.list(untar(empty).dir())) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void largeArchivesAreStreamedNotBuffered() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "archive-large");
        java.util.Random random = new java.util.Random(7);
        byte[][] contents = new byte[3][];
        List<String> chunks = new ArrayList<>();
        List<Map<String, Object>> ops = new ArrayList<>();
        for (int i = 0; i < contents.length; i++) {
            contents[i] = new byte[1024 * 1024];
            random.nextBytes(contents[i]);
            ops.add(upsert("blob" + i + ".bin", "c" + i));
            chunks.add(chunk("c" + i, java.util.Base64.getEncoder().encodeToString(contents[i]), true));
        }
        commitPack(issuer, repo, ndjson(meta("main", null, ops), chunks.toArray(String[]::new))).then().statusCode(201);
        Response response = archive(issuer, repo, null);
        // written as the tree is walked: chunked, with no length known up front (a buffered body would carry one)
        response.then().statusCode(200).header("Transfer-Encoding", equalTo("chunked"))
                .header("Content-Length", org.hamcrest.Matchers.nullValue());
        Tar tar = untar(response.asByteArray());
        for (int i = 0; i < contents.length; i++) {
            assertThat(Files.readAllBytes(tar.dir().resolve("blob" + i + ".bin"))).isEqualTo(contents[i]);
        }
    }

    @Test
    void badArchiveRequestsAre4xx() throws Exception {
        String issuer = issuer();
        String[] s = seeded(issuer, "archive-bad");
        String repo = s[0];
        for (String prefix : List.of("/abs", "../x", "a/../b", "a\\\\b", "a//b", "./a", "/", "a\\u0000b")) {
            archive(issuer, repo, "{\"archive\":{\"prefix\":\"" + prefix + "\"}}").then().statusCode(400)
                    .body("error", containsString("archive.prefix"));
        }
        String[] refused = {
            "{\"max_blob_size\":-1}", "400", "max_blob_size",
            "{\"max_blob_size\":\"big\"}", "400", "max_blob_size",
            "{\"include_globs\":[\"\"]}", "400", "include_globs",
            "{\"exclude_globs\":\"docs/**\"}", "400", "exclude_globs",
            "{\"include_globs\":[\"[\"]}", "400", "include_globs",
            "{\"ref\":\"nope\"}", "404", "nope",
            "{\"ref\":\"main~1\"}", "400", "main~1",
            "{\"ref\":\"" + "c".repeat(40) + "\"}", "404", "",
            "{\"format\":\"zip\"}", "400", "format",
            "{\"ref\":", "400", "",
        };
        for (int i = 0; i < refused.length; i += 3) {
            archive(issuer, repo, refused[i]).then().statusCode(Integer.parseInt(refused[i + 1]))
                    .body("error", containsString(refused[i + 2]));
        }
        as(issuer, repo, "git:write").post(ARCHIVE).then().statusCode(401).body("error", containsString("git:read"));
        as(issuer, "no-such-repo", ALL).post(ARCHIVE).then().statusCode(404);
        // a repository with no commits yet
        String bare = create(issuer, "archive-empty");
        as(issuer, bare, ALL).post(ARCHIVE).then().statusCode(404).body("error", containsString("no commits"));
    }
}
