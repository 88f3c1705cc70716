package dev.shoal.repo.compat.storage;

import static dev.shoal.repo.compat.storage.StorageApiTest.ALL;
import static dev.shoal.repo.compat.storage.StorageApiTest.as;
import static dev.shoal.repo.compat.storage.StorageApiTest.b64;
import static dev.shoal.repo.compat.storage.StorageApiTest.chunk;
import static dev.shoal.repo.compat.storage.StorageApiTest.commitPack;
import static dev.shoal.repo.compat.storage.StorageApiTest.create;
import static dev.shoal.repo.compat.storage.StorageApiTest.git;
import static dev.shoal.repo.compat.storage.StorageApiTest.head;
import static dev.shoal.repo.compat.storage.StorageApiTest.issuer;
import static dev.shoal.repo.compat.storage.StorageApiTest.meta;
import static dev.shoal.repo.compat.storage.StorageApiTest.ndjson;
import static dev.shoal.repo.compat.storage.StorageApiTest.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK's merge, previewMerge and restoreCommit: results, effects on refs and trees, events, refusals. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageMergeTest {

    private static final String API = "/storage/api/v1/repos";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    /** One commit on {@code branch} writing {@code path} (created from main first when missing); returns its SHA. */
    static String write(String issuer, String repo, String branch, String path, String content) throws Exception {
        return write(issuer, repo, branch, path, content.getBytes(StandardCharsets.UTF_8));
    }

    static String write(String issuer, String repo, String branch, String path, byte[] content) throws Exception {
        Map<String, Object> meta = new LinkedHashMap<>(meta(branch, null, List.of(upsert(path, "c"))));
        if (!branch.equals("main")) {
            meta.put("base_branch", "main");
        }
        return commitPack(issuer, repo, ndjson(meta, chunk("c", Base64.getEncoder().encodeToString(content), true)))
                .then().statusCode(201).extract().path("result.new_sha");
    }

    static Response post(String issuer, String repo, String path, Object body) throws Exception {
        return as(issuer, repo, ALL).contentType("application/json")
                .body(body instanceof String s ? s : JSON.writeValueAsString(body)).post(API + path);
    }

    static Map<String, Object> merge(String source, String target, String strategy) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source_branch", source);
        body.put("target_branch", target);
        body.put("strategy", strategy);
        return body;
    }

    static Response preview(String issuer, String repo, String source, String target, boolean content) throws Exception {
        return as(issuer, repo, "git:read").queryParam("source_branch", source).queryParam("target_branch", target)
                .queryParam("include_content", String.valueOf(content)).get(API + "/merge/preview");
    }

    static List<String> parents(String issuer, String repo, String sha) throws Exception {
        return as(issuer, repo, ALL).queryParam("sha", sha).get(API + "/commit").then().statusCode(200)
                .extract().path("commit.parent_shas");
    }

    static List<String> files(String issuer, String repo, String ref) throws Exception {
        return as(issuer, repo, ALL).queryParam("ref", ref).get(API + "/files").then().statusCode(200).extract().path("paths");
    }

    static String file(String issuer, String repo, String ref, String path) throws Exception {
        return as(issuer, repo, ALL).queryParam("ref", ref).queryParam("path", path).get(API + "/file").then().statusCode(200)
                .extract().asString();
    }

    long repoId(String issuer, String repo) {
        return pool.preparedQuery("SELECT repo_id FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, repo)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void fastForwardsMergeCommitsNoOpsAndSquashes() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/merge");
        String c1 = write(issuer, repo, "main", "a.txt", "a\n");
        String f1 = write(issuer, repo, "feature", "b.txt", "b\n");

        preview(issuer, repo, "feature", "main", false).then().statusCode(200).body("status", equalTo("clean"))
                .body("result", equalTo("fast_forward")).body("source_branch", equalTo("feature")).body("target_branch", equalTo("main"))
                .body("source_tip_sha", equalTo(f1)).body("target_tip_sha", equalTo(c1)).body("merge_base_sha", equalTo(c1))
                .body("conflict_paths", equalTo(List.of())).body("conflicts", equalTo(List.of()))
                .body("filtered_conflicts", equalTo(List.of()));
        assertThat(head(issuer, repo, "main")).as("a preview moves nothing").isEqualTo(c1);

        post(issuer, repo, "/merge", merge("feature", "main", "ff_only")).then().statusCode(200)
                .body("result", equalTo("fast_forward")).body("commit_sha", equalTo(f1))
                .body("source.branch", equalTo("feature")).body("source.ephemeral", equalTo(false)).body("source.sha", equalTo(f1))
                .body("target.branch", equalTo("main")).body("target.old_sha", equalTo(c1)).body("target.new_sha", equalTo(f1))
                .body("merge_base_sha", equalTo(c1)).body("promoted_commits", equalTo(1));
        assertThat(head(issuer, repo, "main")).isEqualTo(f1);
        post(issuer, repo, "/merge", merge("feature", "main", "merge")).then().statusCode(200)
                .body("result", equalTo("no_op")).body("commit_sha", equalTo(f1)).body("target.old_sha", equalTo(f1))
                .body("target.new_sha", equalTo(f1)).body("promoted_commits", equalTo(0));
        preview(issuer, repo, "feature", "main", false).then().body("result", equalTo("no_op")).body("status", equalTo("clean"));

        // both sides move: ff_only refuses, a merge commit joins them
        String m2 = write(issuer, repo, "main", "c.txt", "c\n");
        String f2 = write(issuer, repo, "feature", "d.txt", "d\n");
        post(issuer, repo, "/merge", merge("feature", "main", "ff_only")).then().statusCode(409)
                .body("code", equalTo("not_fast_forward")).body("error", containsString("ff_prefer"));
        preview(issuer, repo, "feature", "main", true).then().statusCode(200).body("status", equalTo("clean"))
                .body("result", equalTo("merge_commit")).body("merge_base_sha", equalTo(f1));
        Map<String, Object> stale = merge("feature", "main", "merge");
        stale.put("expected_target_sha", c1);
        post(issuer, repo, "/merge", stale).then().statusCode(409).body("code", equalTo("conflict"))
                .body("error", containsString(m2));
        assertThat(head(issuer, repo, "main")).isEqualTo(m2);

        Map<String, Object> request = merge("feature", "main", "ff_prefer");
        request.put("expected_target_sha", m2);
        request.put("author", Map.of("name", "Merge Bot", "email", "merge@example.com"));
        String mc = post(issuer, repo, "/merge", request).then().statusCode(200).body("result", equalTo("merge_commit"))
                .body("target.old_sha", equalTo(m2)).body("merge_base_sha", equalTo(f1)).body("promoted_commits", equalTo(2))
                .extract().path("commit_sha");
        assertThat(head(issuer, repo, "main")).isEqualTo(mc);
        assertThat(parents(issuer, repo, mc)).containsExactly(m2, f2);
        assertThat(files(issuer, repo, "main")).containsExactly("a.txt", "b.txt", "c.txt", "d.txt");
        as(issuer, repo, ALL).queryParam("sha", mc).get(API + "/commit").then()
                .body("commit.message", equalTo("Merge branch 'feature' into main\n"))
                .body("commit.author_name", equalTo("Merge Bot")).body("commit.committer_email", equalTo("merge@example.com"));

        // squash: one commit with the source's changes, even where a fast-forward was possible
        write(issuer, repo, "topic", "e.txt", "e1\n");
        String t2 = write(issuer, repo, "topic", "e.txt", "e2\n");
        Map<String, Object> squash = merge("topic", "main", "ff_prefer");
        squash.put("squash", true);
        squash.put("commit_message", "topic, squashed");
        String sq = post(issuer, repo, "/merge", squash).then().statusCode(200).body("result", equalTo("squash"))
                .body("source.sha", equalTo(t2)).body("promoted_commits", equalTo(1)).extract().path("commit_sha");
        assertThat(parents(issuer, repo, sq)).containsExactly(mc);
        assertThat(file(issuer, repo, "main", "e.txt")).isEqualTo("e2\n");
        as(issuer, repo, ALL).queryParam("sha", sq).get(API + "/commit").then().body("commit.message", equalTo("topic, squashed"))
                .body("commit.author_name", equalTo(issuer));

        // "merge" always writes a merge commit, also where ff_prefer would fast-forward
        String g1 = write(issuer, repo, "green", "g.txt", "g\n");
        String gm = post(issuer, repo, "/merge", merge("green", "main", "merge")).then().statusCode(200)
                .body("result", equalTo("merge_commit")).extract().path("commit_sha");
        assertThat(parents(issuer, repo, gm)).containsExactly(sq, g1);

        // every move is journaled and announced with the issuer as pusher
        var pushed = Outbox.events(pool, repoId(issuer, repo), "repo.pushed").stream().map(e -> e.getJsonObject("data"))
                .filter(d -> d.getString("ref").equals("refs/heads/main")).toList();
        assertThat(pushed.stream().map(d -> d.getString("after"))).contains(f1, mc, sq, gm);
        assertThat(pushed.get(pushed.size() - 1).getJsonObject("pusher").getString("login")).isEqualTo(issuer);
    }

    @Test
    void conflictsArePreviewedWithTheirSidesAndRefuseTheMerge() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/conflicts");
        write(issuer, repo, "main", "conf.txt", "top\nbase\nbottom\n");
        write(issuer, repo, "main", "bin.dat", new byte[] {0, 1, 2, 3});
        String base = write(issuer, repo, "main", "keep.txt", "k\n");
        write(issuer, repo, "feature", "conf.txt", "top\nfeature\nbottom\n");
        String f = write(issuer, repo, "feature", "bin.dat", new byte[] {0, 9, 9, 9});
        write(issuer, repo, "main", "conf.txt", "top\nmain\nbottom\n");
        String m = write(issuer, repo, "main", "bin.dat", new byte[] {0, 7, 7, 7});

        Response full = preview(issuer, repo, "feature", "main", true);
        full.then().statusCode(200).body("status", equalTo("conflicted")).body("result", equalTo("merge_commit"))
                .body("source_tip_sha", equalTo(f)).body("target_tip_sha", equalTo(m)).body("merge_base_sha", equalTo(base))
                .body("conflict_paths", equalTo(List.of("bin.dat", "conf.txt")))
                .body("conflicts.path", equalTo(List.of("bin.dat", "conf.txt")))
                .body("conflicts[1].base.content", equalTo("top\nbase\nbottom\n"))
                .body("conflicts[1].ours.content", equalTo("top\nmain\nbottom\n"))
                .body("conflicts[1].theirs.content", equalTo("top\nfeature\nbottom\n"))
                .body("conflicts[1].result.content", containsString("<<<<<<< main\nmain\n=======\nfeature\n>>>>>>> feature\n"))
                .body("conflicts[1].result", not(hasKey("oid")))
                .body("conflicts[1].ours.truncated", equalTo(false)).body("conflicts[1].ours.binary", equalTo(false))
                .body("conflicts[0].ours.binary", equalTo(true)).body("conflicts[0].ours", not(hasKey("content")))
                .body("conflicts[0].theirs.binary", equalTo(true)).body("conflicts[0].result.binary", equalTo(true))
                .body("filtered_conflicts", equalTo(List.of(Map.of("path", "bin.dat", "reason", "binary"))));
        String oursOid = full.path("conflicts[1].ours.oid");
        assertThat(oursOid).matches("[0-9a-f]{40}");
        // without include_content: the same conflicts, ids and flags only
        preview(issuer, repo, "feature", "main", false).then().statusCode(200).body("status", equalTo("conflicted"))
                .body("conflicts[1].ours.oid", equalTo(oursOid)).body("conflicts[1].ours", not(hasKey("content")))
                .body("conflicts[1].result", not(hasKey("content")));

        post(issuer, repo, "/merge", merge("feature", "main", "merge")).then().statusCode(409)
                .body("code", equalTo("merge_conflict")).body("error", containsString("conf.txt"))
                .body("details.paths", equalTo(List.of("bin.dat", "conf.txt")));
        assertThat(head(issuer, repo, "main")).isEqualTo(m);
        assertThat(head(issuer, repo, "feature")).isEqualTo(f);
    }

    @Test
    void largeConflictsAreCutAtTheCap() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/big");
        write(issuer, repo, "main", "big.txt", "x\n");
        write(issuer, repo, "main", "huge.txt", "x\n");
        // "é" is two bytes: after one ASCII byte, the 64 KiB cut falls inside a character and moves before it
        write(issuer, repo, "feature", "big.txt", "z" + "é".repeat(40_000) + "\n");
        write(issuer, repo, "feature", "huge.txt", "h".repeat(1100 * 1024) + "\n");
        write(issuer, repo, "main", "big.txt", "y\n");
        write(issuer, repo, "main", "huge.txt", "y\n");
        String theirs = preview(issuer, repo, "feature", "main", true).then().statusCode(200)
                .body("conflict_paths", equalTo(List.of("big.txt", "huge.txt")))
                .body("conflicts[0].theirs.truncated", equalTo(true)).body("conflicts[0].ours.truncated", equalTo(false))
                .body("conflicts[0].ours.content", equalTo("y\n")).body("conflicts[0].result.truncated", equalTo(true))
                .body("conflicts[1].theirs", not(hasKey("content"))).body("conflicts[1].theirs.oid", org.hamcrest.Matchers.notNullValue())
                .body("filtered_conflicts", equalTo(List.of(Map.of("path", "huge.txt", "reason", "too_large"))))
                .extract().path("conflicts[0].theirs.content");
        assertThat(theirs).isEqualTo("z" + "é".repeat(32 * 1024 - 1));
    }

    @Test
    void ephemeralBranchesAndUnrelatedHistories() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "eph-repo"); // git over HTTP serves ids without a slash
        String c1 = write(issuer, repo, "main", "a.txt", "a\n");
        as(issuer, repo, ALL).contentType("application/json")
                .body("{\"target_branch\":\"scratch\",\"base_branch\":\"main\",\"target_is_ephemeral\":true}")
                .post(API + "/branches/create").then().statusCode(200);
        Map<String, Object> meta = new LinkedHashMap<>(meta("scratch", null, List.of(upsert("s.txt", "s"))));
        meta.put("ephemeral", true);
        String s1 = commitPack(issuer, repo, ndjson(meta, chunk("s", b64("s\n"), true))).then().statusCode(201)
                .extract().path("result.new_sha");
        post(issuer, repo, "/merge", merge("scratch", "main", "ff_only")).then().statusCode(404)
                .body("error", containsString("source branch 'scratch' not found"));
        Map<String, Object> eph = merge("scratch", "main", "ff_only");
        eph.put("source_is_ephemeral", true);
        post(issuer, repo, "/merge", eph).then().statusCode(200).body("result", equalTo("fast_forward"))
                .body("source.ephemeral", equalTo(true)).body("target.ephemeral", equalTo(false)).body("target.new_sha", equalTo(s1));
        assertThat(head(issuer, repo, "main")).isEqualTo(s1);

        // an orphan branch pushed with git: unrelated to main
        String url = "http://localhost:" + io.restassured.RestAssured.port + "/storage/" + repo + ".git";
        java.nio.file.Path work = Files.createTempDirectory("storage-merge");
        var cloned = git(work, issuer, repo, "git:read", "clone", url, "clone");
        assertThat(cloned.exit()).as(cloned.out()).isZero();
        java.nio.file.Path clone = work.resolve("clone");
        git(clone, issuer, repo, ALL, "checkout", "--orphan", "other");
        git(clone, issuer, repo, ALL, "rm", "-rf", "--quiet", ".");
        Files.writeString(clone.resolve("o.txt"), "o\n");
        git(clone, issuer, repo, ALL, "add", "o.txt");
        git(clone, issuer, repo, ALL, "commit", "-m", "orphan");
        var pushed = git(clone, issuer, repo, ALL, "push", "origin", "other");
        assertThat(pushed.exit()).as(pushed.out()).isZero();

        preview(issuer, repo, "other", "main", false).then().statusCode(200).body("status", equalTo("clean"))
                .body("result", equalTo("merge_commit")).body("$", not(hasKey("merge_base_sha")));
        post(issuer, repo, "/merge", merge("other", "main", "merge")).then().statusCode(409)
                .body("code", equalTo("unrelated_histories")).body("error", containsString("allow_unrelated_histories"));
        assertThat(head(issuer, repo, "main")).isEqualTo(s1);
        Map<String, Object> allowed = merge("other", "main", "merge");
        allowed.put("allow_unrelated_histories", true);
        String joined = post(issuer, repo, "/merge", allowed).then().statusCode(200).body("result", equalTo("merge_commit"))
                .body("$", not(hasKey("merge_base_sha"))).body("promoted_commits", equalTo(2)).extract().path("commit_sha");
        assertThat(files(issuer, repo, "main")).containsExactly("a.txt", "o.txt", "s.txt");
        // git sees the merge commit with both parents
        git(clone, issuer, repo, ALL, "fetch", "origin", "main");
        assertThat(git(clone, issuer, repo, ALL, "rev-parse", "origin/main^1", "origin/main^2").out().trim().split("\n"))
                .containsExactly(s1, head(issuer, repo, "other"));
        assertThat(joined).isEqualTo(head(issuer, repo, "main"));
        assertThat(c1).isNotEqualTo(s1);
    }

    @Test
    void mergeAndPreviewRefuseBadInput() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/bad-merge");
        String c1 = write(issuer, repo, "main", "a.txt", "a\n");
        write(issuer, repo, "feature", "b.txt", "b\n");

        post(issuer, repo, "/merge", "").then().statusCode(400).body("error", containsString("source_branch"));
        post(issuer, repo, "/merge", "{\"source_branch\":").then().statusCode(400).body("code", equalTo("validation_failed"));
        post(issuer, repo, "/merge", "[]").then().statusCode(400);
        post(issuer, repo, "/merge", "{\"source_branch\":\"feature\",\"target_branch\":\"main\",\"strategy\":\"merge\",\"x\":1}")
                .then().statusCode(400).body("error", containsString("'x'"));
        post(issuer, repo, "/merge", "{\"source_branch\":\"feature\",\"target_branch\":\"main\",\"strategy\":\"merge\",\"squash\":\"yes\"}")
                .then().statusCode(400).body("error", containsString("squash"));
        post(issuer, repo, "/merge", merge("feature", "main", "rebase")).then().statusCode(400)
                .body("error", containsString("ff_only"));
        post(issuer, repo, "/merge", merge("feature", "main", null)).then().statusCode(400);
        Map<String, Object> squashFf = merge("feature", "main", "ff_only");
        squashFf.put("squash", true);
        post(issuer, repo, "/merge", squashFf).then().statusCode(400).body("error", containsString("squash"));
        // refs/heads/feature is accepted (issue 21); another namespace is not a branch
        post(issuer, repo, "/merge", merge("refs/tags/feature", "main", "merge")).then().statusCode(400)
                .body("error", containsString("refs/heads/"));
        post(issuer, repo, "/merge", merge("../feature", "main", "merge")).then().statusCode(400)
                .body("error", containsString("source_branch"));
        post(issuer, repo, "/merge", merge("feature", "ma\u0000in", "merge")).then().statusCode(400)
                .body("error", containsString("target_branch"));
        post(issuer, repo, "/merge", merge("main", "main", "merge")).then().statusCode(400)
                .body("error", containsString("same branch"));
        post(issuer, repo, "/merge", merge("nope", "main", "merge")).then().statusCode(404)
                .body("error", containsString("source branch 'nope'"));
        post(issuer, repo, "/merge", merge("feature", "nope", "merge")).then().statusCode(404)
                .body("error", containsString("target branch 'nope'"));
        Map<String, Object> badSha = merge("feature", "main", "merge");
        badSha.put("expected_target_sha", "abc");
        post(issuer, repo, "/merge", badSha).then().statusCode(400).body("error", containsString("expected_target_sha"));
        Map<String, Object> badAuthor = merge("feature", "main", "merge");
        badAuthor.put("author", Map.of("name", "x"));
        post(issuer, repo, "/merge", badAuthor).then().statusCode(400).body("error", containsString("author"));
        as(issuer, repo, "git:read").contentType("application/json").body(JSON.writeValueAsString(merge("feature", "main", "merge")))
                .post(API + "/merge").then().statusCode(401).body("error", containsString("git:write"));
        assertThat(head(issuer, repo, "main")).as("no refusal moved main").isEqualTo(c1);

        as(issuer, repo, "git:read").queryParam("target_branch", "main").get(API + "/merge/preview").then().statusCode(400)
                .body("error", containsString("source_branch"));
        as(issuer, repo, "git:read").queryParam("source_branch", "feature").queryParam("target_branch", "main")
                .queryParam("include_content", "maybe").get(API + "/merge/preview").then().statusCode(400)
                .body("error", containsString("include_content"));
        preview(issuer, repo, "feature", "gone", false).then().statusCode(404).body("error", containsString("'gone'"));
        preview(issuer, repo, "feature", "a..b", false).then().statusCode(400);
        as(issuer, repo, "").queryParam("source_branch", "feature").queryParam("target_branch", "main")
                .get(API + "/merge/preview").then().statusCode(401);
        as(issuer, "no-such-repo", ALL).queryParam("source_branch", "feature").queryParam("target_branch", "main")
                .get(API + "/merge/preview").then().statusCode(404);
    }

    static Map<String, Object> restore(String branch, String sha, String expected) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("target_branch", branch);
        metadata.put("target_commit_sha", sha);
        metadata.put("author", Map.of("name", "Restorer", "email", "restore@example.com"));
        if (expected != null) {
            metadata.put("expected_head_sha", expected);
        }
        return Map.of("metadata", metadata);
    }

    @Test
    void restoreCommitWritesOneCommitWithTheOldTree() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/restore");
        String c1 = write(issuer, repo, "main", "a.txt", "1\n");
        write(issuer, repo, "main", "b.txt", "b\n");
        String c3 = write(issuer, repo, "main", "a.txt", "3\n");

        Response ok = post(issuer, repo, "/restore-commit", restore("main", c1, c3));
        ok.then().statusCode(201).body("commit.target_branch", equalTo("main")).body("commit.pack_bytes", equalTo(0))
                .body("commit", not(hasKey("blob_count")))
                .body("result.branch", equalTo("main")).body("result.old_sha", equalTo(c3)).body("result.success", equalTo(true))
                .body("result.status", equalTo("ok")).body("result", not(hasKey("message")));
        String restored = ok.path("commit.commit_sha");
        assertThat((String) ok.path("result.new_sha")).isEqualTo(restored);
        assertThat(head(issuer, repo, "main")).isEqualTo(restored);
        assertThat(parents(issuer, repo, restored)).containsExactly(c3);
        assertThat(files(issuer, repo, "main")).containsExactly("a.txt");
        assertThat(file(issuer, repo, "main", "a.txt")).isEqualTo("1\n");
        // the same tree as c1: restoring c1 again from here changes nothing but adds a commit
        String again = post(issuer, repo, "/restore-commit", restore("main", c1, null)).then().statusCode(201)
                .body("commit.tree_sha", equalTo(ok.path("commit.tree_sha"))).extract().path("commit.commit_sha");
        as(issuer, repo, ALL).queryParam("sha", again).get(API + "/commit").then()
                .body("commit.message", equalTo("Restore main to " + c1 + "\n")).body("commit.author_name", equalTo("Restorer"));
        var events = Outbox.events(pool, repoId(issuer, repo), "repo.pushed");
        assertThat(events.get(events.size() - 1).getJsonObject("data").getString("after")).isEqualTo(again);

        // refusals answer the SDK's failure shape and leave the branch alone
        post(issuer, repo, "/restore-commit", restore("main", c1, c3)).then().statusCode(409)
                .body("result.success", equalTo(false)).body("result.status", equalTo("conflict"))
                .body("result.branch", equalTo("main")).body("result.old_sha", equalTo(again)).body("result.new_sha", equalTo(again))
                .body("result.message", containsString("expected_head_sha")).body("$", not(hasKey("commit")));
        post(issuer, repo, "/restore-commit", restore("main", "b".repeat(40), null)).then().statusCode(404)
                .body("result.status", equalTo("not_found")).body("result.message", containsString("not found"));
        post(issuer, repo, "/restore-commit", restore("nope", c1, null)).then().statusCode(404)
                .body("result.status", equalTo("not_found")).body("result.message", containsString("branch 'nope'"))
                .body("result", not(hasKey("old_sha")));
        post(issuer, repo, "/restore-commit", restore("main", "abc", null)).then().statusCode(400)
                .body("result.status", equalTo("invalid")).body("result.message", containsString("target_commit_sha"));
        post(issuer, repo, "/restore-commit", restore("refs/tags/main", c1, null)).then().statusCode(400)
                .body("result.message", containsString("refs/heads/")).body("result", not(hasKey("branch")));
        post(issuer, repo, "/restore-commit", restore("../main", c1, null)).then().statusCode(400)
                .body("result.success", equalTo(false)).body("result", not(hasKey("branch")));
        post(issuer, repo, "/restore-commit", "{\"metadata\":").then().statusCode(400)
                .body("result.status", equalTo("invalid")).body("result.message", containsString("malformed JSON"));
        post(issuer, repo, "/restore-commit", "").then().statusCode(400).body("result.message", containsString("metadata"));
        post(issuer, repo, "/restore-commit", "{}").then().statusCode(400).body("result.message", containsString("metadata"));
        post(issuer, repo, "/restore-commit", "{\"metadata\":{\"target_branch\":\"main\",\"target_commit_sha\":\"" + c1
                + "\",\"author\":{\"name\":\"a\",\"email\":\"a@b\"},\"bogus\":1}}").then().statusCode(400)
                .body("result.message", containsString("unknown field 'metadata.bogus'"));
        // 7 is no branch name: a number is refused, never coerced to "7".
        post(issuer, repo, "/restore-commit", "{\"metadata\":{\"target_branch\":7,\"target_commit_sha\":[]}}").then().statusCode(400)
                .body("result.message", containsString("metadata.target_branch has the wrong type"));
        Map<String, Object> noAuthor = new LinkedHashMap<>(restore("main", c1, null));
        @SuppressWarnings("unchecked")
        Map<String, Object> md = new LinkedHashMap<>((Map<String, Object>) noAuthor.get("metadata"));
        md.remove("author");
        post(issuer, repo, "/restore-commit", Map.of("metadata", md)).then().statusCode(400)
                .body("result.message", containsString("metadata.author"));
        as(issuer, repo, "git:read").contentType("application/json").body(JSON.writeValueAsString(restore("main", c1, null)))
                .post(API + "/restore-commit").then().statusCode(401).body("error", containsString("git:write"));
        as(issuer, "no-such-repo", ALL).contentType("application/json").body(JSON.writeValueAsString(restore("main", c1, null)))
                .post(API + "/restore-commit").then().statusCode(404).body("result.status", equalTo("not_found"));

        // a commit no ref reaches any more (its branch was deleted) is refused, whatever GC has done yet
        String lost = write(issuer, repo, "tmp", "t.txt", "t\n");
        as(issuer, repo, ALL).contentType("application/json").body("{\"name\":\"tmp\"}").delete(API + "/branches").then().statusCode(200);
        post(issuer, repo, "/restore-commit", restore("main", lost, null)).then().statusCode(404)
                .body("result.message", containsString("not reachable"));
        // a tree is not a commit
        post(issuer, repo, "/restore-commit", restore("main", ok.path("commit.tree_sha"), null)).then().statusCode(400)
                .body("result.message", containsString("is not a commit"));
        assertThat(head(issuer, repo, "main")).isEqualTo(again);
    }
}
