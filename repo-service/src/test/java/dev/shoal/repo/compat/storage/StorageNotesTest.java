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
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;

/** Git notes through the Code Storage API (SDK getNote/createNote/appendNote/deleteNote/listNotesRefs). */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageNotesTest {

    private static final String NOTES = "/storage/api/v1/repos/notes";

    @Inject
    Pool pool;

    @Inject
    GitStore store;

    long repoId(String issuer, String repo) {
        return pool.preparedQuery("SELECT repo_id FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, repo)).await().indefinitely().iterator().next().getLong(0);
    }

    static Response post(String issuer, String repo, String body) throws Exception {
        return as(issuer, repo, ALL).contentType("application/json").body(body).post(NOTES);
    }

    static Response delete(String issuer, String repo, String body) throws Exception {
        return as(issuer, repo, ALL).contentType("application/json").body(body).delete(NOTES);
    }

    static Response get(String issuer, String repo, String sha, String ref) throws Exception {
        var spec = as(issuer, repo, ALL).queryParam("sha", sha);
        return ref == null ? spec.get(NOTES) : spec.queryParam("ref", ref).get(NOTES);
    }

    /** A repository with two commits on main; returns {repo, c1, c2}. */
    static String[] seeded(String issuer, String name) throws Exception {
        String repo = create(issuer, name);
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a"), true))).then().statusCode(201);
        String c1 = head(issuer, repo, "main");
        commitPack(issuer, repo, ndjson(meta("main", c1, List.of(upsert("b.txt", "b"))), chunk("b", b64("b"), true))).then().statusCode(201);
        return new String[] {repo, c1, head(issuer, repo, "main")};
    }

    @Test
    void notesAreAddedAppendedReadAndDeletedThroughTheJournal() throws Exception {
        String issuer = issuer();
        String[] s = seeded(issuer, "team/notes");
        String repo = s[0];
        String c1 = s[1];
        String c2 = s[2];

        get(issuer, repo, c1, null).then().statusCode(404).body("error", containsString("refs/notes/commits"));

        // add: the notes ref did not exist, so base_commit is left out (the SDK rejects null)
        String n1 = post(issuer, repo, "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"Reviewed\"}").then().statusCode(200)
                .body("sha", equalTo(c1)).body("target_ref", equalTo("refs/notes/commits")).body("$", not(hasKey("base_commit")))
                .body("result.success", equalTo(true)).body("result.status", equalTo("ok"))
                .body("new_ref_sha", matchesPattern("[0-9a-f]{40}")).extract().path("new_ref_sha");
        get(issuer, repo, c1, null).then().statusCode(200).body("sha", equalTo(c1)).body("note", equalTo("Reviewed"))
                .body("ref_sha", equalTo(n1));
        get(issuer, repo, c2, null).then().statusCode(404).body("error", containsString("has no note"));

        // add on a note that exists: 409, nothing moves
        post(issuer, repo, "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"again\"}").then().statusCode(409)
                .body("code", equalTo("conflict")).body("error", containsString("already has a note"));
        get(issuer, repo, c1, null).then().body("ref_sha", equalTo(n1)).body("note", equalTo("Reviewed"));

        // append as git notes append does: a blank line between
        String n2 = post(issuer, repo, "{\"sha\":\"" + c1 + "\",\"action\":\"append\",\"note\":\"CI passed\"}").then().statusCode(200)
                .body("base_commit", equalTo(n1)).extract().path("new_ref_sha");
        get(issuer, repo, c1, null).then().body("note", equalTo("Reviewed\n\nCI passed")).body("ref_sha", equalTo(n2));

        // a stale expected_ref_sha: 409 naming the current tip, nothing moves
        post(issuer, repo, "{\"sha\":\"" + c1 + "\",\"action\":\"append\",\"note\":\"late\",\"expected_ref_sha\":\"" + n1 + "\"}")
                .then().statusCode(409).body("details.current_ref_sha", equalTo(n2))
                .body("error", containsString("expected_ref_sha"));
        get(issuer, repo, c1, null).then().body("note", equalTo("Reviewed\n\nCI passed"));

        // the right expected_ref_sha and an author: the notes commit carries them and chains on the old tip
        String n3 = post(issuer, repo, "{\"sha\":\"" + c2 + "\",\"action\":\"add\",\"note\":\"Second\",\"expected_ref_sha\":\"" + n2
                + "\",\"author\":{\"name\":\"Review Bot\",\"email\":\"review@example.com\"}}").then().statusCode(200)
                .body("base_commit", equalTo(n2)).extract().path("new_ref_sha");
        Repository git = store.open(repoId(issuer, repo));
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(n3));
            assertThat(commit.getAuthorIdent().getName()).isEqualTo("Review Bot");
            assertThat(commit.getAuthorIdent().getEmailAddress()).isEqualTo("review@example.com");
            assertThat(commit.getParent(0).name()).isEqualTo(n2);
            RevCommit first = walk.parseCommit(ObjectId.fromString(n1));
            assertThat(first.getParentCount()).isZero();
            assertThat(first.getAuthorIdent().getName()).isEqualTo(issuer);
        }

        // delete: the note goes, the other stays; a second delete is 404
        String n4 = delete(issuer, repo, "{\"sha\":\"" + c1 + "\"}").then().statusCode(200).body("sha", equalTo(c1))
                .body("target_ref", equalTo("refs/notes/commits")).body("base_commit", equalTo(n3))
                .body("result.success", equalTo(true)).extract().path("new_ref_sha");
        get(issuer, repo, c1, null).then().statusCode(404);
        get(issuer, repo, c2, null).then().statusCode(200).body("note", equalTo("Second")).body("ref_sha", equalTo(n4));
        delete(issuer, repo, "{\"sha\":\"" + c1 + "\"}").then().statusCode(404).body("error", containsString("has no note"));
        delete(issuer, repo, "{\"sha\":\"" + c2 + "\",\"expected_ref_sha\":\"" + n3 + "\"}").then().statusCode(409);
        get(issuer, repo, c2, null).then().statusCode(200).body("ref_sha", equalTo(n4));

        // a custom notes ref, by bare name or in full
        String r1 = post(issuer, repo, "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"lgtm\",\"ref\":\"reviews\"}")
                .then().statusCode(200).body("target_ref", equalTo("refs/notes/reviews")).body("$", not(hasKey("base_commit")))
                .extract().path("new_ref_sha");
        get(issuer, repo, c1, "reviews").then().statusCode(200).body("note", equalTo("lgtm")).body("ref_sha", equalTo(r1));
        get(issuer, repo, c1, "refs/notes/reviews").then().statusCode(200).body("note", equalTo("lgtm"));
        get(issuer, repo, c1, null).then().statusCode(404);

        // every move is journaled and announced like a push of refs/notes/*
        List<String> pushed = Outbox.events(pool, repoId(issuer, repo), "repo.pushed").stream().map(e -> e.getJsonObject("data"))
                .filter(d -> d.getString("ref").startsWith("refs/notes/"))
                .map(d -> d.getString("ref") + " " + d.getString("before") + ">" + d.getString("after")).toList();
        String zero = "0".repeat(40);
        assertThat(pushed).containsExactly("refs/notes/commits " + zero + ">" + n1, "refs/notes/commits " + n1 + ">" + n2,
                "refs/notes/commits " + n2 + ">" + n3, "refs/notes/commits " + n3 + ">" + n4, "refs/notes/reviews " + zero + ">" + r1);
    }

    @Test
    void badNoteRequestsAre4xxAndMoveNothing() throws Exception {
        String issuer = issuer();
        String[] s = seeded(issuer, "notes-bad");
        String repo = s[0];
        String c1 = s[1];
        String unknown = "b".repeat(40);

        get(issuer, repo, null, null).then().statusCode(400).body("error", containsString("sha"));
        get(issuer, repo, "abc123", null).then().statusCode(400).body("code", equalTo("validation_failed"));
        get(issuer, repo, unknown, null).then().statusCode(404);
        for (String ref : List.of("refs/heads/main", "../x", "a..b", "refs/notes/", "bad name", "a\u0000b", "refs/notes/x/../y", "x:y")) {
            get(issuer, repo, c1, ref).then().statusCode(400).body("error", containsString("notes ref"));
            post(issuer, repo, "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"n\",\"ref\":\"" + ref.replace("\u0000", "\\u0000") + "\"}")
                    .then().statusCode(400).body("error", containsString("notes ref"));
        }
        String[] refused = {
            "{\"sha\":\"" + unknown + "\",\"action\":\"add\",\"note\":\"n\"}", "404", "not found",
            "{\"sha\":\"" + c1 + "\",\"action\":\"replace\",\"note\":\"n\"}", "400", "action",
            "{\"sha\":\"" + c1 + "\",\"action\":\"add\"}", "400", "note is required",
            "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"  \"}", "400", "note is required",
            "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":{\"a\":1}}", "400", "note",
            "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"n\",\"extra\":1}", "400", "extra",
            "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"n\",\"expected_ref_sha\":\"abc\"}", "400", "expected_ref_sha",
            "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"n\",\"author\":{\"name\":\"x\"}}", "400", "author",
            "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"n\",\"author\":{\"name\":\"x<y\",\"email\":\"e@x\"}}", "400", "author",
            "{\"action\":\"add\",\"note\":\"n\"}", "400", "sha",
            "{\"sha\":", "400", "",
            "[]", "400", "",
        };
        for (int i = 0; i < refused.length; i += 3) {
            post(issuer, repo, refused[i]).then().statusCode(Integer.parseInt(refused[i + 1]))
                    .body("error", containsString(refused[i + 2]));
        }
        as(issuer, repo, ALL).contentType("application/json").post(NOTES).then().statusCode(400).body("error", containsString("body"));
        delete(issuer, repo, "{\"sha\":\"" + c1 + "\",\"note\":\"n\"}").then().statusCode(400).body("error", containsString("note"));
        delete(issuer, repo, "{\"sha\":\"" + c1 + "\",\"action\":\"add\"}").then().statusCode(400);
        delete(issuer, repo, "{\"sha\":\"" + unknown + "\"}").then().statusCode(404);
        delete(issuer, repo, "{\"sha\":\"" + c1 + "\"}").then().statusCode(404);
        // scopes and repositories
        as(issuer, repo, "git:read").contentType("application/json").body("{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"n\"}")
                .post(NOTES).then().statusCode(401).body("error", containsString("git:write"));
        as(issuer, repo, "git:write").queryParam("sha", c1).get(NOTES).then().statusCode(401);
        as(issuer, "no-such-repo", ALL).queryParam("sha", c1).get(NOTES).then().statusCode(404);

        // nothing above wrote a notes ref
        as(issuer, repo, ALL).get(NOTES + "/refs").then().statusCode(200).body("refs", equalTo(List.of()));
        assertThat(Outbox.events(pool, repoId(issuer, repo), "repo.pushed").stream()
                .map(e -> e.getJsonObject("data").getString("ref"))).containsOnly("refs/heads/main");
    }

    @Test
    void notesRefsAreListedByPrefixInPages() throws Exception {
        String issuer = issuer();
        String[] s = seeded(issuer, "notes-list");
        String repo = s[0];
        for (String ref : List.of("reviews/b", "commits", "ci", "reviews/a")) {
            post(issuer, repo, "{\"sha\":\"" + s[1] + "\",\"action\":\"add\",\"note\":\"n\",\"ref\":\"" + ref + "\"}").then().statusCode(200);
        }
        String ciSha = get(issuer, repo, s[1], "ci").then().extract().path("ref_sha");
        as(issuer, repo, ALL).get(NOTES + "/refs").then().statusCode(200).body("prefix", equalTo("refs/notes/"))
                .body("refs.ref", equalTo(List.of("refs/notes/ci", "refs/notes/commits", "refs/notes/reviews/a", "refs/notes/reviews/b")))
                .body("refs[0].sha", equalTo(ciSha)).body("has_more", equalTo(false)).body("$", not(hasKey("next_cursor")));
        String cursor = as(issuer, repo, ALL).queryParam("limit", 2).get(NOTES + "/refs").then().statusCode(200)
                .body("refs.ref", equalTo(List.of("refs/notes/ci", "refs/notes/commits"))).body("has_more", equalTo(true))
                .extract().path("next_cursor");
        as(issuer, repo, ALL).queryParam("limit", 2).queryParam("cursor", cursor).get(NOTES + "/refs").then().statusCode(200)
                .body("refs.ref", equalTo(List.of("refs/notes/reviews/a", "refs/notes/reviews/b"))).body("has_more", equalTo(false));
        for (String prefix : List.of("reviews/", "refs/notes/reviews/")) {
            as(issuer, repo, ALL).queryParam("prefix", prefix).get(NOTES + "/refs").then().statusCode(200)
                    .body("prefix", equalTo("refs/notes/reviews/"))
                    .body("refs.ref", equalTo(List.of("refs/notes/reviews/a", "refs/notes/reviews/b")));
        }
        for (String bad : List.of("refs/heads/", "../", "a..b/", "bad name")) {
            as(issuer, repo, ALL).queryParam("prefix", bad).get(NOTES + "/refs").then().statusCode(400)
                    .body("error", containsString("prefix"));
        }
        as(issuer, repo, ALL).queryParam("limit", 0).get(NOTES + "/refs").then().statusCode(400).body("error", containsString("limit"));
        as(issuer, repo, ALL).queryParam("limit", "x").get(NOTES + "/refs").then().statusCode(400);
        as(issuer, repo, ALL).queryParam("cursor", "zzz").get(NOTES + "/refs").then().statusCode(400).body("error", containsString("cursor"));
    }

    @Test
    void concurrentAppendsAreSerializedAndNoneIsLost() throws Exception {
        String issuer = issuer();
        String[] s = seeded(issuer, "notes-race");
        String repo = s[0];
        post(issuer, repo, "{\"sha\":\"" + s[1] + "\",\"action\":\"add\",\"note\":\"start\"}").then().statusCode(200);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                results.add(pool.submit(() -> post(issuer, repo, "{\"sha\":\"" + s[1] + "\",\"action\":\"append\",\"note\":\"line " + n + "\"}")
                        .statusCode()));
            }
            for (var result : results) {
                assertThat(result.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        String note = get(issuer, repo, s[1], null).then().statusCode(200).extract().path("note");
        for (int i = 0; i < 8; i++) {
            assertThat(note).contains("line " + i);
        }
        assertThat(note.split("\n\n")).hasSize(9);
        // nine notes commits, one chain
        String tip = get(issuer, repo, s[1], null).then().extract().path("ref_sha");
        try (RevWalk walk = new RevWalk(store.open(repoId(issuer, repo)))) {
            walk.markStart(walk.parseCommit(ObjectId.fromString(tip)));
            int count = 0;
            for (RevCommit ignored : walk) {
                count++;
            }
            assertThat(count).isEqualTo(9);
        }
    }

    @Test
    void notesRoundTripWithTheGitCommandLine() throws Exception {
        String issuer = issuer();
        String[] s = seeded(issuer, "notes-git");
        String repo = s[0];
        String c1 = s[1];
        post(issuer, repo, "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"Reviewed\"}").then().statusCode(200);

        String url = "http://localhost:" + io.restassured.RestAssured.port + "/storage/" + repo + ".git";
        java.nio.file.Path work = Files.createTempDirectory("storage-notes");
        assertThat(git(work, issuer, repo, "git:read", "clone", url, "clone").exit()).isZero();
        java.nio.file.Path clone = work.resolve("clone");
        var fetched = git(clone, issuer, repo, "git:read", "fetch", "origin", "refs/notes/*:refs/notes/*");
        assertThat(fetched.exit()).as(fetched.out()).isZero();
        var shown = git(clone, issuer, repo, "git:read", "notes", "show", c1);
        assertThat(shown.out()).isEqualTo("Reviewed\n");

        // a note appended with git and pushed is what the API reads next
        assertThat(git(clone, issuer, repo, "git:read", "notes", "append", "-m", "from git", c1).exit()).isZero();
        var pushed = git(clone, issuer, repo, "git:read git:write", "push", "origin", "refs/notes/commits");
        assertThat(pushed.exit()).as(pushed.out()).isZero();
        get(issuer, repo, c1, null).then().statusCode(200).body("note", equalTo("Reviewed\n\nfrom git"));

        // git may push any object to a notes ref; one that is not a commit holds no notes: 409, not a 500
        Files.writeString(clone.resolve("blob.txt"), "not a commit\n");
        String blob = git(clone, issuer, repo, "git:read", "hash-object", "-w", "blob.txt").out().trim();
        var odd = git(clone, issuer, repo, "git:read git:write", "push", "origin", blob + ":refs/notes/odd");
        assertThat(odd.exit()).as(odd.out()).isZero();
        get(issuer, repo, c1, "odd").then().statusCode(409).body("error", containsString("not point at a commit"));
        post(issuer, repo, "{\"sha\":\"" + c1 + "\",\"action\":\"add\",\"note\":\"n\",\"ref\":\"odd\"}").then().statusCode(409);
    }
}
