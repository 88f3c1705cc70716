package dev.shoal.repo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.Git;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import dev.shoal.repo.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class ContentApiTest {

    @Inject
    Pool pool;

    @Test
    void badPathsRevsAndBlobs() throws Exception {
        String org = Fixtures.uniqueOrg("cnt");
        String token = Fixtures.owner(30);
        long id = Fixtures.createRepo(token, org, "c", false);
        String base = "/api/v1/repos/" + org + "/c";
        given().auth().oauth2(token).get(base + "/log")
                .then().statusCode(404).body("error.message", containsString("no commits"));
        Git git = new Git(token);
        Path dir = Seed.pushedMain(git, org, "c");
        byte[] binary = new byte[70_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i % 251);
        }
        Files.write(dir.resolve("big.bin"), binary);
        Files.write(dir.resolve("small.bin"), new byte[] {0, 1, 2, (byte) 0xff});
        git.out(dir, "add", ".");
        git.out(dir, "commit", "-m", "binaries");
        git.out(dir, "push", "origin", "main");

        for (String path : List.of("..%2Fsecret", "%2Fetc%2Fpasswd", "a%5Cb", "a%00b", "a%2F%2Fb")) {
            given().auth().oauth2(token).urlEncodingEnabled(false).get(base + "/blob/" + path)
                    .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                    .body("error.message", containsString("must not contain '..'"));
            given().auth().oauth2(token).urlEncodingEnabled(false).get(base + "/tree/" + path)
                    .then().statusCode(400).body("error.code", equalTo("validation_failed"));
        }
        given().auth().oauth2(token).urlEncodingEnabled(false).get(base + "/blob/a/%2E%2E/%2E%2E/etc/passwd")
                .then().statusCode(anyOf(equalTo(400), equalTo(404)));
        given().auth().oauth2(token).get(base + "/blob/nope.txt")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        given().auth().oauth2(token).queryParam("rev", "nosuchbranch").get(base + "/tree")
                .then().statusCode(404).body("error.message", containsString("unknown revision"));
        given().auth().oauth2(token).get(base + "/changeset/" + "f".repeat(40))
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        given().auth().oauth2(token).get(base + "/changeset/HEAD~1")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        given().auth().oauth2(token).get(base + "/tree/a.txt")
                .then().statusCode(400).body("error.message", containsString("is a file"));
        given().auth().oauth2(token).get(base + "/log?page=0")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"));

        given().auth().oauth2(token).get(base + "/blob/small.bin")
                .then().statusCode(200).body("data.encoding", equalTo("base64"))
                .body("data.content", equalTo(Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 0xff})))
                .body("data.size", equalTo(4));
        given().auth().oauth2(token).get(base + "/blob/big.bin")
                .then().statusCode(413).body("error.code", equalTo("payload_too_large"))
                .body("error.message", containsString("?raw=1"));
        byte[] raw = given().auth().oauth2(token).get(base + "/blob/big.bin?raw=1")
                .then().statusCode(200).header("Content-Type", containsString("application/octet-stream"))
                .extract().asByteArray();
        assertThat(raw).isEqualTo(binary);

        // Internal API
        String sha = git.out(dir, "rev-parse", "main");
        given().auth().oauth2(token).get("/internal/repos/" + id + "/resolve?ref=tip")
                .then().statusCode(200).body("data.sha", equalTo(sha)).body("data.ref", equalTo("refs/heads/main"));
        given().auth().oauth2(token).get("/internal/repos/" + id + "/resolve?ref=" + sha.substring(0, 8))
                .then().statusCode(200).body("data.sha", equalTo(sha));
        given().auth().oauth2(token).get("/internal/repos/" + id + "/resolve?ref=missing")
                .then().statusCode(404);
        // the commit as push events describe it: author, message, the committer's time
        String[] facts = git.out(dir, "log", "-1", "--format=%an%n%ae%n%cI%n%B", "main").split("\n", 4);
        given().auth().oauth2(token).get("/internal/repos/" + id + "/commits/main")
                .then().statusCode(200).body("data.sha", equalTo(sha))
                .body("data.author_name", equalTo(facts[0])).body("data.author_email", equalTo(facts[1]))
                .body("data.timestamp", equalTo(java.time.OffsetDateTime.parse(facts[2]).toInstant().toString()))
                .body("data.message", equalTo(facts[3].strip() + "\n"));
        given().auth().oauth2(token).get("/internal/repos/" + id + "/commits/" + "f".repeat(40)).then().statusCode(404);
        byte[] file = given().auth().oauth2(token).get("/internal/repos/" + id + "/file?ref=main&path=a.txt")
                .then().statusCode(200).extract().asByteArray();
        assertThat(new String(file)).isEqualTo("one\ntwo\nthree\n");
        given().auth().oauth2(token).get("/internal/repos/" + id + "/file?ref=main&path=../a.txt")
                .then().statusCode(400).body("error.code", equalTo("validation_failed"));
        given().auth().oauth2(token).get("/internal/repos/" + id + "/file?ref=main&path=zzz")
                .then().statusCode(404);
        given().auth().oauth2(token).get("/internal/repos/" + id + "/tree?ref=main")
                .then().statusCode(200).body("data.name", equalTo(List.of("a.txt", "big.bin", "small.bin")));
    }

    @Test
    void mergeMethodsCompareAndConflicts() {
        String org = Fixtures.uniqueOrg("mrg");
        String token = Fixtures.owner(31);
        long id = Fixtures.createRepo(token, org, "m", false);
        Git git = new Git(token);
        Path dir = Seed.pushedMain(git, org, "m");
        String internal = "/internal/repos/" + id;

        // ff: one commit ahead of main
        git.out(dir, "checkout", "-b", "ff");
        Git.write(dir.resolve("ff.txt"), "ff\n");
        git.out(dir, "add", ".");
        git.out(dir, "commit", "-m", "ff work");
        git.out(dir, "push", "origin", "ff");
        // feat, sq, rb, conflict branch off the same base
        git.out(dir, "checkout", "main");
        branch(git, dir, "feat", "feat.txt", "feat\n", "feat work");
        branch(git, dir, "sq", "sq.txt", "sq\n", "sq one");
        git.out(dir, "checkout", "sq");
        Git.write(dir.resolve("sq.txt"), "sq two\n");
        git.out(dir, "commit", "-am", "sq two");
        git.out(dir, "push", "origin", "sq");
        git.out(dir, "checkout", "main");
        branch(git, dir, "rb", "rb.txt", "rb\n", "rb one");
        git.out(dir, "checkout", "rb");
        Git.write(dir.resolve("rb2.txt"), "rb2\n");
        git.out(dir, "add", ".");
        git.out(dir, "commit", "-m", "rb two");
        git.out(dir, "push", "origin", "rb");
        git.out(dir, "checkout", "main");
        git.out(dir, "checkout", "-b", "clash");
        Git.write(dir.resolve("a.txt"), "one\nTWO from clash\nthree\n");
        git.out(dir, "commit", "-am", "clash edit");
        git.out(dir, "push", "origin", "clash");
        git.out(dir, "checkout", "main");

        given().auth().oauth2(token).get(internal + "/compare?base=main&head=sq")
                .then().statusCode(200)
                .body("data.merge_base", equalTo(git.out(dir, "rev-parse", "main")))
                .body("data.commits.message", equalTo(List.of("sq two\n", "sq one\n")))
                .body("data.files[0].path", equalTo("sq.txt"))
                .body("data.files[0].status", equalTo("added"))
                .body("data.files[0].additions", equalTo(1))
                .body("data.diff", containsString("+++ b/sq.txt"));

        String ff = merge(token, internal, "ff", "fast_forward").then().statusCode(200)
                .body("data.method", equalTo("fast_forward")).extract().path("data.sha");
        git.out(dir, "fetch", "origin");
        assertThat(ff).isEqualTo(git.out(dir, "rev-parse", "origin/ff"));
        assertThat(git.out(dir, "rev-parse", "origin/main")).isEqualTo(ff);

        merge(token, internal, "feat", "fast_forward").then().statusCode(409).body("error.code", equalTo("not_fast_forward"));

        String merged = merge(token, internal, "feat", "merge").then().statusCode(200).extract().path("data.sha");
        git.out(dir, "fetch", "origin");
        assertThat(git.out(dir, "rev-parse", "origin/main")).isEqualTo(merged);
        assertThat(git.out(dir, "log", "-1", "--format=%P", "origin/main").split(" "))
                .containsExactly(ff, git.out(dir, "rev-parse", "origin/feat"));
        assertThat(git.out(dir, "log", "-1", "--format=%s", "origin/main")).isEqualTo("Merge branch 'feat' into main");

        String squashed = merge(token, internal, "sq", "squash").then().statusCode(200).extract().path("data.sha");
        git.out(dir, "fetch", "origin");
        assertThat(git.out(dir, "rev-parse", "origin/main")).isEqualTo(squashed);
        assertThat(git.out(dir, "log", "-1", "--format=%P", "origin/main")).isEqualTo(merged);
        assertThat(git.out(dir, "show", "origin/main:sq.txt")).isEqualTo("sq two");

        String rebased = merge(token, internal, "rb", "rebase").then().statusCode(200).extract().path("data.sha");
        git.out(dir, "fetch", "origin");
        assertThat(git.out(dir, "rev-parse", "origin/main")).isEqualTo(rebased);
        assertThat(git.out(dir, "log", "-3", "--format=%s", "origin/main")).isEqualTo("rb two\nrb one\nSquashed commit of branch 'sq'");
        assertThat(git.out(dir, "rev-parse", "origin/main~2")).isEqualTo(squashed);
        assertThat(git.out(dir, "log", "-1", "--format=%an", "origin/main")).isEqualTo("Ada Lovelace");

        // The base changed a.txt's second line on main? No: make main clash with the clash branch.
        Git.write(dir.resolve("a.txt"), "one\ntwo on main\nthree\n");
        git.out(dir, "reset", "--hard", "origin/main");
        Git.write(dir.resolve("a.txt"), "one\ntwo on main\nthree\n");
        git.out(dir, "commit", "-am", "main edit");
        git.out(dir, "push", "origin", "main");
        String before = git.out(dir, "rev-parse", "main");
        for (String method : List.of("merge", "squash", "rebase")) {
            merge(token, internal, "clash", method).then().statusCode(409)
                    .body("error.code", equalTo("merge_conflict"))
                    .body("error.details.paths", equalTo(List.of("a.txt")));
        }
        assertThat(git.out(dir, "ls-remote", "origin", "refs/heads/main")).startsWith(before);

        merge(token, internal, "ghost", "merge").then().statusCode(404).body("error.code", equalTo("not_found"));
        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("source", "feat", "target", "nowhere", "method", "merge"))
                .post(internal + "/merge").then().statusCode(404);
        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("source", "feat", "target", "main", "method", "octopus"))
                .post(internal + "/merge").then().statusCode(400).body("error.message", containsString("method must be one of"));
        given().auth().oauth2(token).contentType("application/json").body(Map.of("source", "feat"))
                .post(internal + "/merge").then().statusCode(400).body("error.code", equalTo("validation_failed"));

        // Every server-side move of main produced exactly one repo.pushed.
        long mainEvents = Outbox.events(pool, id, "repo.pushed").stream()
                .filter(e -> e.getJsonObject("data").getString("ref").equals("refs/heads/main")).count();
        assertThat(mainEvents).isEqualTo(6);
    }

    private static void branch(Git git, Path dir, String name, String file, String content, String message) {
        git.out(dir, "checkout", "-b", name, "main");
        Git.write(dir.resolve(file), content);
        git.out(dir, "add", ".");
        git.out(dir, "commit", "-m", message);
        git.out(dir, "push", "origin", name);
        git.out(dir, "checkout", "main");
    }

    private static io.restassured.response.Response merge(String token, String internal, String source, String method) {
        return given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("source", source, "target", "main", "method", method, "author_name", "Merger",
                        "author_email", "merger@example.com"))
                .post(internal + "/merge");
    }
}
