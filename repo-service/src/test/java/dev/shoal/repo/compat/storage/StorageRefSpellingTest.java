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
import static dev.shoal.repo.compat.storage.StorageMergeTest.merge;
import static dev.shoal.repo.compat.storage.StorageMergeTest.post;
import static dev.shoal.repo.compat.storage.StorageMergeTest.restore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: every ref-taking Code Storage operation accepts a short name, a full ref name and
 * (where it reads a revision) a commit SHA, and answers the same commit for each; rev expressions
 * stay refused, and a write target must be a branch.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageRefSpellingTest {

    private static final String API = "/storage/api/v1/repos";

    @Test
    void everyRefParameterAcceptsShortAndFullNamesAndShas() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/spelling");
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("one\n"), true)))
                .then().statusCode(201);
        String c1 = head(issuer, repo, "main");
        // commit-pack's target branch in its full spelling: the answer names the short branch
        commitPack(issuer, repo, ndjson(meta("refs/heads/main", null, List.of(upsert("a.txt", "a"), upsert("b.txt", "b"))),
                chunk("a", b64("two\n"), true), chunk("b", b64("b\n"), true)))
                .then().statusCode(201).body("result.branch", equalTo("main"));
        String c2 = head(issuer, repo, "main");
        assertThat(c2).isNotEqualTo(c1);

        // tags: a target in every spelling
        for (String target : List.of("main", "refs/heads/main", c2)) {
            String name = "t" + Math.abs(target.hashCode());
            json(issuer, repo, "/tags", "{\"name\":\"" + name + "\",\"target\":\"" + target + "\"}", 200)
                    .body("sha", equalTo(c2));
        }
        json(issuer, repo, "/tags", "{\"name\":\"v1\",\"target\":\"" + c1 + "\"}", 200).body("sha", equalTo(c1));

        // branches/create: base_ref as a branch, a tag or a SHA, each spelled short or full
        String[][] bases = {{"main", c2}, {"refs/heads/main", c2}, {c2, c2}, {"v1", c1}, {"refs/tags/v1", c1}, {c1, c1}};
        int n = 0;
        for (String[] base : bases) {
            json(issuer, repo, "/branches/create", "{\"target_branch\":\"from" + n++ + "\",\"base_ref\":\"" + base[0] + "\"}", 200)
                    .body("commit_sha", equalTo(base[1]));
        }
        json(issuer, repo, "/branches/create", "{\"target_branch\":\"refs/heads/feature\",\"base_branch\":\"refs/heads/main\"}", 200)
                .body("target_branch", equalTo("feature")).body("commit_sha", equalTo(c2));
        json(issuer, repo, "/branches/create", "{\"target_branch\":\"scratch\",\"base_ref\":\"refs/heads/main\","
                + "\"target_is_ephemeral\":true}", 200).body("commit_sha", equalTo(c2));

        // reads of a revision: the same commit and content for each spelling
        for (String[] rev : new String[][] {{"main", c2, "two"}, {"refs/heads/main", c2, "two"}, {c2, c2, "two"},
                {"v1", c1, "one"}, {"refs/tags/v1", c1, "one"}, {c1, c1, "one"}}) {
            String body = as(issuer, repo, ALL).queryParam("path", "a.txt").queryParam("ref", rev[0]).get(API + "/file")
                    .then().statusCode(200).extract().asString();
            assertThat(body).as("file at " + rev[0]).isEqualTo(rev[2] + "\n");
            as(issuer, repo, ALL).queryParam("path", "a.txt").queryParam("ref", rev[0]).get(API + "/blame")
                    .then().statusCode(200).body("commit_sha", equalTo(rev[1]));
            as(issuer, repo, ALL).queryParam("ref", rev[0]).get(API + "/files").then().statusCode(200)
                    .body("paths", equalTo(rev[1].equals(c2) ? List.of("a.txt", "b.txt") : List.of("a.txt")));
            as(issuer, repo, ALL).queryParam("ref", rev[0]).get(API + "/files/metadata").then().statusCode(200)
                    .body("files.size()", equalTo(rev[1].equals(c2) ? 2 : 1));
            as(issuer, repo, ALL).contentType("application/json")
                    .body("{\"query\":{\"pattern\":\"" + rev[2] + "\"},\"ref\":\"" + rev[0] + "\"}").post(API + "/grep")
                    .then().statusCode(200).body("repo.commit", equalTo(rev[1]));
            byte[] tar = as(issuer, repo, ALL).contentType("application/json").body("{\"ref\":\"" + rev[0] + "\"}")
                    .post(API + "/archive").then().statusCode(200).extract().asByteArray();
            assertThat(new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(tar)).readAllBytes(), StandardCharsets.ISO_8859_1)).as("archive at " + rev[0]).contains(rev[2] + "\n")
                    .contains(rev[1].equals(c2) ? "b.txt" : "a.txt");
        }
        // an ephemeral branch read in both spellings
        for (String ref : List.of("scratch", "refs/heads/scratch")) {
            as(issuer, repo, ALL).queryParam("path", "a.txt").queryParam("ref", ref).queryParam("ephemeral", "true")
                    .get(API + "/blame").then().statusCode(200).body("commit_sha", equalTo(c2));
        }

        // a commit on feature (target spelled in full), then branch reads in both spellings
        commitPack(issuer, repo, ndjson(meta("refs/heads/feature", null, List.of(upsert("f.txt", "f"))), chunk("f", b64("f\n"), true)))
                .then().statusCode(201).body("result.branch", equalTo("feature"));
        String f1 = head(issuer, repo, "feature");
        for (String branch : List.of("feature", "refs/heads/feature")) {
            as(issuer, repo, ALL).queryParam("branch", branch).get(API + "/commits").then().statusCode(200)
                    .body("commits[0].sha", equalTo(f1));
            for (String base : List.of("main", "refs/heads/main")) {
                as(issuer, repo, ALL).queryParam("branch", branch).queryParam("base", base).get(API + "/branches/diff")
                        .then().statusCode(200).body("files.path", equalTo(List.of("f.txt"))).body("branch", equalTo("feature"))
                        .body("base", equalTo("main"));
            }
        }

        // merge and restore with full target names
        post(issuer, repo, "/merge", merge("refs/heads/feature", "refs/heads/main", "ff_only")).then().statusCode(200)
                .body("commit_sha", equalTo(f1)).body("target.branch", equalTo("main")).body("source.branch", equalTo("feature"));
        assertThat(head(issuer, repo, "main")).isEqualTo(f1);
        post(issuer, repo, "/restore-commit", restore("refs/heads/main", c1, null)).then().statusCode(201)
                .body("result.branch", equalTo("main")).body("result.old_sha", equalTo(f1));
        String body = as(issuer, repo, ALL).queryParam("path", "a.txt").queryParam("ref", "refs/heads/main").get(API + "/file")
                .then().statusCode(200).extract().asString();
        assertThat(body).isEqualTo("one\n");

        // delete in the full spelling
        as(issuer, repo, ALL).contentType("application/json").body("{\"name\":\"refs/heads/from0\"}").delete(API + "/branches")
                .then().statusCode(200).body("name", equalTo("from0"));
    }

    @Test
    void revExpressionsAndNonBranchWriteTargetsAreRefused() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/spelling-refused");
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("one\n"), true)))
                .then().statusCode(201);
        String c1 = head(issuer, repo, "main");
        json(issuer, repo, "/tags", "{\"name\":\"v1\",\"target\":\"main\"}", 200).body("sha", equalTo(c1));

        for (String expr : List.of("main~1", "HEAD^", "main@{1}")) {
            json(issuer, repo, "/branches/create", "{\"target_branch\":\"y\",\"base_ref\":\"" + expr + "\"}", 400)
                    .body("error", containsString("base_ref"));
            json(issuer, repo, "/tags", "{\"name\":\"x\",\"target\":\"" + expr + "\"}", 400);
            as(issuer, repo, ALL).queryParam("path", "a.txt").queryParam("ref", expr).get(API + "/file")
                    .then().statusCode(400).body("error", containsString("ref"));
            as(issuer, repo, ALL).queryParam("path", "a.txt").queryParam("ref", expr).get(API + "/blame").then().statusCode(400);
            as(issuer, repo, ALL).queryParam("ref", expr).get(API + "/files").then().statusCode(400);
            as(issuer, repo, ALL).queryParam("branch", expr).get(API + "/commits").then().statusCode(400);
        }
        // a write target names a branch: refs/tags/v1 is not one, and nothing moves
        json(issuer, repo, "/branches/create", "{\"target_branch\":\"refs/tags/v1\",\"base_branch\":\"main\"}", 400)
                .body("error", containsString("refs/heads/"));
        json(issuer, repo, "/branches/create", "{\"target_branch\":\"y\",\"base_branch\":\"refs/tags/v1\"}", 400)
                .body("error", containsString("base_branch"));
        commitPack(issuer, repo, ndjson(meta("refs/tags/v1", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("x\n"), true)))
                .then().statusCode(400).body("error", containsString("refs/heads/"));
        post(issuer, repo, "/merge", merge("main", "refs/tags/v1", "merge")).then().statusCode(400)
                .body("error", containsString("target_branch"));
        post(issuer, repo, "/restore-commit", restore("refs/tags/v1", c1, null)).then().statusCode(400)
                .body("result.message", containsString("refs/heads/"));
        as(issuer, repo, ALL).queryParam("branch", "refs/tags/v1").get(API + "/commits").then().statusCode(400);
        as(issuer, repo, ALL).get(API + "/tags").then().statusCode(200).body("tags.sha", equalTo(List.of(c1)));
        assertThat(head(issuer, repo, "main")).isEqualTo(c1);
    }

    private static io.restassured.response.ValidatableResponse json(String issuer, String repo, String path, String body,
                                                                    int status) throws Exception {
        return as(issuer, repo, ALL).contentType("application/json").body(body).post(API + path).then().statusCode(status);
    }
}
