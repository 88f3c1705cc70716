package dev.shoal.repo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.service.Maintenance;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.Git;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class GitHttpTest {

    @Inject
    Pool pool;
    @Inject
    GitStore store;
    @Inject
    Maintenance maintenance;
    @Inject
    MeterRegistry registry;

    @Test
    void cloneEmptyPushBranchesCloneAgainAndReadContents() throws Exception {
        String org = Fixtures.uniqueOrg("git");
        String token = Fixtures.owner(10);
        long id = Fixtures.createRepo(token, org, "app", false);
        Git git = new Git(token);
        Path work = Git.tempDir();
        Path app = work.resolve("app");
        git.run(work, "clone", Fixtures.url(org, "app"), "app").ok();

        Git.write(app.resolve("README.md"), "# App\nhello\n");
        Git.write(app.resolve("src/Main.java"), "class Main {}\n");
        git.out(app, "add", ".");
        git.out(app, "commit", "-m", "Initial commit\n\nWith a body.");
        Git.write(app.resolve("README.md"), "# App\nhello world\n");
        git.out(app, "commit", "-am", "Say hello to the world");
        git.out(app, "checkout", "-b", "feature");
        Git.write(app.resolve("docs/guide.md"), "guide\n");
        git.out(app, "add", ".");
        git.out(app, "commit", "-m", "Add guide");
        git.out(app, "tag", "v1.0");
        git.out(app, "push", "origin", "main", "feature", "v1.0");

        // One repo.pushed per ref of the push, and a tag.created for the new tag.
        List<JsonObject> pushed = Outbox.events(pool, id, "repo.pushed");
        assertThat(pushed).extracting(e -> e.getJsonObject("data").getString("ref"))
                .containsExactlyInAnyOrder("refs/heads/main", "refs/heads/feature", "refs/tags/v1.0");
        JsonObject main = pushed.stream().filter(e -> e.getJsonObject("data").getString("ref").equals("refs/heads/main"))
                .findFirst().orElseThrow().getJsonObject("data");
        assertThat(main.getString("before")).isEqualTo("0".repeat(40));
        assertThat(main.getString("after")).isEqualTo(git.out(app, "rev-parse", "main"));
        assertThat(main.getJsonArray("commits")).hasSize(2);
        assertThat(main.getJsonArray("commits").getJsonObject(0).getString("message")).isEqualTo("Say hello to the world\n");
        assertThat(main.getJsonObject("pusher").getString("login")).isEqualTo("ada");
        // The commit the ref now names, with its author and commit time split out for CI (issue 21).
        JsonObject head = main.getJsonObject("head_commit");
        assertThat(head.getString("sha")).isEqualTo(main.getString("after"));
        assertThat(head.getString("message")).isEqualTo("Say hello to the world\n");
        assertThat(head.getString("author_name")).isEqualTo("Ada Lovelace");
        assertThat(head.getString("author_email")).isEqualTo("ada@example.com");
        assertThat(java.time.Instant.parse(head.getString("timestamp"))).isEqualTo(java.time.Instant.parse("2025-01-20T14:30:00Z"));
        assertThat(main.getJsonArray("commits").getJsonObject(1).getString("author_name")).isEqualTo("Ada Lovelace");
        JsonObject feature = pushed.stream().filter(e -> e.getJsonObject("data").getString("ref").equals("refs/heads/feature"))
                .findFirst().orElseThrow().getJsonObject("data");
        assertThat(feature.getJsonArray("commits")).hasSize(1);
        assertThat(Outbox.events(pool, id, "tag.created")).singleElement()
                .satisfies(e -> assertThat(e.getJsonObject("data").getString("tag")).isEqualTo("v1.0"));

        // A second push of one ref adds exactly one event.
        git.out(app, "checkout", "main");
        Git.write(app.resolve("README.md"), "# App\nhello again\n");
        git.out(app, "commit", "-am", "Again");
        git.out(app, "push", "origin", "main");
        assertThat(Outbox.events(pool, id, "repo.pushed")).hasSize(4);

        Path again = Git.tempDir();
        git.run(again, "clone", Fixtures.url(org, "app"), "copy").ok();
        Path copy = again.resolve("copy");
        assertThat(git.out(copy, "branch", "-r")).contains("origin/main").contains("origin/feature");
        assertThat(git.out(copy, "rev-parse", "origin/feature")).isEqualTo(git.out(app, "rev-parse", "feature"));
        assertThat(git.out(copy, "symbolic-ref", "--short", "HEAD")).isEqualTo("main");

        // Contents agree with git for the same commits.
        String headSha = git.out(copy, "rev-parse", "HEAD");
        given().auth().oauth2(token).get("/api/v1/repos/" + org + "/app/log")
                .then().statusCode(200)
                .body("pagination.total", equalTo(Integer.parseInt(git.out(copy, "rev-list", "--count", "HEAD"))))
                .body("data[0].node", equalTo(headSha))
                .body("data[0].short_node", equalTo(headSha.substring(0, 12)))
                .body("data[0].rev", equalTo(3))
                .body("data[1].rev", equalTo(2))
                .body("data[2].subject", equalTo("Initial commit"))
                .body("data[2].message", equalTo("Initial commit\n\nWith a body.\n"))
                .body("data[0].branch", equalTo("default"))
                .body("data[0].author", equalTo(git.out(copy, "log", "-1", "--format=%an <%ae>")))
                .body("data[0].date", equalTo("2025-01-20T14:30:00Z"));
        given().auth().oauth2(token).queryParam("rev", "feature").queryParam("per_page", "1")
                .get("/api/v1/repos/" + org + "/app/log")
                .then().statusCode(200)
                .body("pagination.total", equalTo(Integer.parseInt(git.out(copy, "rev-list", "--count", "origin/feature"))))
                .body("data[0].branch", equalTo("feature"))
                .body("data[0].tags", equalTo(List.of("v1.0")));

        String second = git.out(copy, "rev-parse", "HEAD~1");
        String show = git.out(copy, "show", "--format=", second);
        String diff = given().auth().oauth2(token).get("/api/v1/repos/" + org + "/app/changeset/" + second.substring(0, 10))
                .then().statusCode(200)
                .body("data.node", equalTo(second))
                .body("data.rev", equalTo(Integer.parseInt(git.out(copy, "rev-list", "--count", second))))
                .body("data.subject", equalTo("Say hello to the world"))
                .extract().path("data.diff");
        assertThat(diff).contains("--- a/README.md").contains("+hello world").contains("-hello");
        assertThat(show).contains("+hello world");

        given().auth().oauth2(token).get("/api/v1/repos/" + org + "/app/tree/")
                .then().statusCode(200)
                .body("data.name", equalTo(List.of("src", "README.md")))
                .body("data.is_dir", equalTo(List.of(true, false)))
                .body("data[1].size", equalTo(Integer.parseInt(git.out(copy, "cat-file", "-s", "HEAD:README.md"))));
        given().auth().oauth2(token).queryParam("rev", "v1.0").get("/api/v1/repos/" + org + "/app/tree")
                .then().statusCode(200).body("data.name", equalTo(List.of("docs", "src", "README.md")));
        given().auth().oauth2(token).get("/api/v1/repos/" + org + "/app/blob/README.md")
                .then().statusCode(200)
                .body("data.path", equalTo("README.md"))
                .body("data.content", equalTo(git.out(copy, "show", "HEAD:README.md") + "\n"))
                .body("data.encoding", equalTo("utf-8"));
        given().auth().oauth2(token).get("/api/v1/repos/" + org + "/app/branches")
                .then().statusCode(200)
                .body("data.name", equalTo(List.of("feature", "main")))
                .body("data.is_default", equalTo(List.of(false, true)))
                .body("data[1].node", equalTo(headSha))
                .body("pagination.total", equalTo(2));
        given().auth().oauth2(token).get("/api/v1/repos/" + org + "/app/tags")
                .then().statusCode(200).body("data[0].name", equalTo("v1.0"))
                .body("data[0].node", equalTo(git.out(copy, "rev-parse", "origin/feature")));

        // Background GC (debounced after the last push) leaves a pack with a bitmap index.
        Path pack = store.dir(id).resolve("objects/pack");
        Waits.until(Duration.ofSeconds(30), () -> hasBitmap(pack), () -> "no bitmap index in " + pack);
        assertThat(hasBitmap(pack)).as("bitmap index after GC").isTrue();
        assertThat(git.run(work, "--git-dir=" + store.dir(id), "fsck", "--strict").exit()).isZero();
    }

    @Test
    void aPushAnswersAtOnceAndABitmapFollowsInTheBackground_thenPartialAndShallowClonesWork() throws Exception {
        String org = Fixtures.uniqueOrg("bitmap");
        String token = Fixtures.owner(16);
        long id = Fixtures.createRepo(token, org, "big", false);
        Git git = new Git(token);
        Path work = Git.tempDir();
        Path src = work.resolve("src");
        git.out(work, "init", "-q", "src");
        for (int i = 1; i <= 12; i++) {
            Git.write(src.resolve("f" + (i % 4) + ".txt"), "version " + i + "\n");
            git.out(src, "add", ".");
            git.out(src, "commit", "-q", "-m", "commit " + i);
        }
        String head = git.out(src, "rev-parse", "HEAD");
        Path pack = store.dir(id).resolve("objects/pack");

        git.out(src, "push", "-q", Fixtures.url(org, "big"), "main");
        long pushReturned = System.nanoTime();

        // shoal.repo.gc-delay is 1h here: only the short delay for a repository without a bitmap
        // index can bring this GC, and it starts after the push had answered.
        Waits.until(Duration.ofSeconds(30), () -> hasBitmap(pack), () -> "no bitmap index in " + pack);
        assertThat(hasBitmap(pack)).as("bitmap index written in the background after the first push").isTrue();
        assertThat(maintenance.lastGcStart(id)).isPresent();
        assertThat(maintenance.lastGcStart(id).getAsLong()).as("GC started after the push answered").isGreaterThan(pushReturned);

        // --filter=blob:none: the server honours the filter (git would otherwise warn and fetch
        // every blob), so the bare clone has the commits and trees and none of the 4 × 12 blobs.
        git.out(work, "clone", "-q", "--bare", "--filter=blob:none", Fixtures.url(org, "big"), "partial.git");
        Path partial = work.resolve("partial.git");
        assertThat(git.out(partial, "rev-parse", "main")).isEqualTo(head);
        String missing = git.out(partial, "rev-list", "--objects", "--all", "--missing=print");
        assertThat(missing.lines().filter(l -> l.startsWith("?")).count()).as("blobs left out by the filter").isEqualTo(12);
        assertThat(git.run(partial, "config", "remote.origin.promisor").out().trim()).isEqualTo("true");
        // A blob read later is fetched on demand from the same server.
        assertThat(git.out(partial, "cat-file", "-p", "main:f0.txt")).isEqualTo("version 12");

        // --depth 1: one commit, the tip's tree, nothing older.
        git.out(work, "clone", "-q", "--depth", "1", Fixtures.url(org, "big"), "shallow");
        Path shallow = work.resolve("shallow");
        assertThat(git.out(shallow, "rev-parse", "HEAD")).isEqualTo(head);
        assertThat(git.out(shallow, "rev-list", "--count", "HEAD")).isEqualTo("1");
        assertThat(git.out(shallow, "rev-parse", "--is-shallow-repository")).isEqualTo("true");
        assertThat(Files.readString(shallow.resolve("f3.txt"))).isEqualTo("version 11\n");
        // A shallow clone deepens from the same server to an absolute depth.
        git.out(shallow, "fetch", "-q", "--depth", "4");
        assertThat(git.out(shallow, "rev-list", "--count", "HEAD")).isEqualTo("4");
        // `--deepen` (deepen-relative), which JGit 7.4 cannot serve, is refused with a message git
        // shows, not an HTTP 500 and a stack trace in the server's log.
        Git.Result deepen;
        List<LogRecord> logged;
        try (LogCapture capture = new LogCapture()) {
            deepen = git.run(shallow, "fetch", "-q", "--deepen=1");
            logged = capture.records;
        }
        assertThat(deepen.exit()).as(deepen.out()).isNotZero();
        assertThat(deepen.out()).contains("remote error: deepen-relative (git fetch --deepen) is not supported by this server; "
                + "use git fetch --depth=N").doesNotContain("500");
        assertThat(logged).as("nothing logged with a stack trace or at error level")
                .noneMatch(r -> r.getThrown() != null || r.getLevel().intValue() >= Level.SEVERE.intValue());
        assertThat(git.out(shallow, "rev-list", "--count", "HEAD")).as("the refused fetch changed nothing").isEqualTo("4");
        // Protocol v0 does not advertise deepen-relative, so stock git refuses it before asking.
        Git.Result deepenV0 = git.run(shallow, "-c", "protocol.version=0", "fetch", "-q", "--deepen=1");
        assertThat(deepenV0.exit()).as(deepenV0.out()).isNotZero();
        assertThat(deepenV0.out()).contains("does not support --deepen");
        git.out(shallow, "fetch", "-q", "--depth", "6");
        assertThat(git.out(shallow, "rev-list", "--count", "HEAD")).isEqualTo("6");
        assertThat(git.run(work, "--git-dir=" + store.dir(id), "fsck", "--strict").exit()).isZero();
    }

    /**
     * shoal_git_uploads_without_bitmap_total tells an operator that clones walk the whole history:
     * counted for a clone served before GC has written a bitmap index (held off here by holding the
     * repository's lock, as a long push would), not for one served after.
     */
    @Test
    void packsCountedWithoutABitmapIndexAreCounted() throws Exception {
        String org = Fixtures.uniqueOrg("fresh");
        String token = Fixtures.owner(18);
        long id = Fixtures.createRepo(token, org, "fresh", false);
        Git git = new Git(token);
        Path work = Git.tempDir();
        Path src = work.resolve("src");
        git.out(work, "init", "-q", "src");
        for (int i = 1; i <= 5; i++) {
            Git.write(src.resolve("f" + i + ".txt"), "version " + i + "\n");
            git.out(src, "add", ".");
            git.out(src, "commit", "-q", "-m", "commit " + i);
        }
        Path pack = store.dir(id).resolve("objects/pack");
        Counter walked = registry.counter("shoal.git.uploads.without.bitmap");

        java.util.concurrent.locks.ReentrantLock lock = store.lock(id);
        git.out(src, "push", "-q", Fixtures.url(org, "fresh"), "main");
        double before;
        lock.lock();
        try {
            assertThat(hasBitmap(pack)).isFalse();
            before = walked.count();
            git.out(work, "clone", "-q", "--bare", Fixtures.url(org, "fresh"), "early.git");
            assertThat(walked.count()).as("a clone before the first GC").isEqualTo(before + 1);
        } finally {
            lock.unlock();
        }
        Waits.until(Duration.ofSeconds(30), () -> hasBitmap(pack), () -> "no bitmap index in " + pack);
        git.out(work, "clone", "-q", "--bare", Fixtures.url(org, "fresh"), "late.git");
        assertThat(walked.count()).as("a clone after it").isEqualTo(before + 1);
    }

    private static boolean hasBitmap(Path pack) {
        if (!java.nio.file.Files.isDirectory(pack)) {
            return false;
        }
        try (var files = java.nio.file.Files.list(pack)) {
            return files.anyMatch(f -> f.toString().endsWith(".bitmap"));
        } catch (java.io.IOException e) {
            return false; // GC renames packs into place while we look
        }
    }

    @Test
    void protocolV2IsSpokenWhenTheClientAsksForIt() {
        String org = Fixtures.uniqueOrg("v2");
        String token = Fixtures.owner(15);
        Fixtures.createRepo(token, org, "v2", false);
        Git git = new Git(token);
        Path work = Git.tempDir();
        git.run(work, "clone", Fixtures.url(org, "v2"), "v2").ok();
        Path v2 = work.resolve("v2");
        Git.write(v2.resolve("a.txt"), "a\n");
        git.out(v2, "add", ".");
        git.out(v2, "commit", "-m", "first");
        git.out(v2, "tag", "v1");
        git.out(v2, "push", "origin", "main", "v1");
        String head = git.out(v2, "rev-parse", "main");

        // Stock git sends "Git-Protocol: version=2"; the advertisement is then v2's capability list.
        String advertised = given().auth().oauth2(token).header("Git-Protocol", "version=2")
                .get("/" + org + "/v2.git/info/refs?service=git-upload-pack")
                .then().statusCode(200).extract().asString();
        assertThat(advertised).contains("version 2").contains("ls-refs").contains("fetch").doesNotContain(head);
        // Without it, the v0 advertisement lists the refs.
        assertThat(given().auth().oauth2(token).get("/" + org + "/v2.git/info/refs?service=git-upload-pack")
                .then().statusCode(200).extract().asString())
                .contains(head + " refs/heads/main").doesNotContain("version 2");

        // A real v2 clone (ls-refs, then the fetch command) and a ref-prefix filtered ls-remote.
        Path again = Git.tempDir();
        Git.Result clone = git.run(Map.of("GIT_TRACE_PACKET", "1"), again, "clone", Fixtures.url(org, "v2"), "copy");
        assertThat(clone.exit()).as(clone.out()).isZero();
        assertThat(clone.out()).contains("command=ls-refs").contains("command=fetch");
        assertThat(git.out(again.resolve("copy"), "rev-parse", "HEAD")).isEqualTo(head);
        assertThat(git.out(again.resolve("copy"), "ls-remote", "origin", "refs/tags/*")).isEqualTo(
                git.out(v2, "rev-parse", "v1") + "\trefs/tags/v1");
    }

    @Test
    void reconciliationEmitsAMissingPushExactlyOnce() throws Exception {
        String org = Fixtures.uniqueOrg("rec");
        String token = Fixtures.owner(11);
        long id = Fixtures.createRepo(token, org, "svc", false);
        Git git = new Git(token);
        Path work = Git.tempDir();
        git.run(work, "clone", Fixtures.url(org, "svc"), "svc").ok();
        Path svc = work.resolve("svc");
        Git.write(svc.resolve("a.txt"), "a\n");
        git.out(svc, "add", ".");
        git.out(svc, "commit", "-m", "first");
        git.out(svc, "push", "origin", "main");
        assertThat(maintenance.reconcile(id)).isZero();

        // A ref moves behind the service's back (as after a crash between the move and the event).
        Repository repo = store.open(id);
        ObjectId moved;
        try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
            RevCommit head = walk.parseCommit(repo.resolve("refs/heads/main"));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(head.getTree());
            commit.setParentId(head);
            PersonIdent who = new PersonIdent("Ghost", "ghost@example.com");
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("moved directly\n");
            moved = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = repo.updateRef("refs/heads/main");
            update.setNewObjectId(moved);
            update.setExpectedOldObjectId(head);
            assertThat(update.update()).isEqualTo(RefUpdate.Result.FAST_FORWARD);
        }
        assertThat(maintenance.reconcile(id)).isEqualTo(1);
        assertThat(maintenance.reconcile(id)).isZero();
        List<JsonObject> pushed = Outbox.events(pool, id, "repo.pushed");
        assertThat(pushed).hasSize(2);
        JsonObject data = pushed.get(1).getJsonObject("data");
        assertThat(data.getString("after")).isEqualTo(moved.name());
        assertThat(data.getString("before")).isEqualTo(git.out(svc, "rev-parse", "main"));
        assertThat(data.getJsonArray("commits").getJsonObject(0).getString("author")).isEqualTo("Ghost <ghost@example.com>");
        // A whole pass over all repositories finds nothing more.
        maintenance.reconcileAll();
        assertThat(Outbox.events(pool, id, "repo.pushed")).hasSize(2);
    }

    @Test
    void protectedBranchRefusesForcePushAndDeletionAtomically() {
        String org = Fixtures.uniqueOrg("prot");
        String token = Fixtures.owner(12);
        long id = Fixtures.createRepo(token, org, "lib", false);
        Git git = new Git(token);
        Path work = Git.tempDir();
        git.run(work, "clone", Fixtures.url(org, "lib"), "lib").ok();
        Path lib = work.resolve("lib");
        Git.write(lib.resolve("a.txt"), "a\n");
        git.out(lib, "add", ".");
        git.out(lib, "commit", "-m", "first");
        Git.write(lib.resolve("a.txt"), "b\n");
        git.out(lib, "commit", "-am", "second");
        git.out(lib, "push", "origin", "main");
        String pushedHead = git.out(lib, "rev-parse", "main");

        given().auth().oauth2(token).put("/api/v1/repos/" + org + "/lib/branches/main/protection")
                .then().statusCode(200).body("data.protected", equalTo(true)).body("data.branch", equalTo("main"));
        given().auth().oauth2(token).get("/api/v1/repos/" + org + "/lib/branches")
                .then().body("data[0].protected", equalTo(true));

        git.out(lib, "reset", "--hard", "HEAD~1");
        Git.write(lib.resolve("a.txt"), "rewritten\n");
        git.out(lib, "commit", "-am", "rewrite history");
        git.out(lib, "branch", "extra");
        Git.Result force = git.run(lib, "push", "--atomic", "-f", "origin", "main", "extra");
        assertThat(force.exit()).isNotZero();
        assertThat(force.out()).contains("branch 'main' is protected: force pushes are not allowed");
        Git.Result delete = git.run(lib, "push", "origin", ":main");
        assertThat(delete.exit()).isNotZero();
        assertThat(delete.out()).contains("branch 'main' is protected: it cannot be deleted");

        String remote = git.out(lib, "ls-remote", "origin");
        assertThat(remote).contains(pushedHead + "\trefs/heads/main").doesNotContain("refs/heads/extra");
        assertThat(Outbox.events(pool, id, "repo.pushed")).hasSize(1);

        // Unprotected, the same force push goes through.
        given().auth().oauth2(token).delete("/api/v1/repos/" + org + "/lib/branches/main/protection").then().statusCode(204);
        git.out(lib, "push", "-f", "origin", "main");
        assertThat(Outbox.events(pool, id, "repo.pushed")).hasSize(2);
    }

    @Test
    void garbagePackIsRefusedAndRepositoryStaysClean() {
        String org = Fixtures.uniqueOrg("fsck");
        String token = Fixtures.owner(13);
        long id = Fixtures.createRepo(token, org, "r", false);
        Git git = new Git(token);
        Path work = Git.tempDir();
        git.run(work, "clone", Fixtures.url(org, "r"), "r").ok();
        Path r = work.resolve("r");
        Git.write(r.resolve("a.txt"), "a\n");
        git.out(r, "add", ".");
        git.out(r, "commit", "-m", "first");
        git.out(r, "push", "origin", "main");
        String head = git.out(r, "rev-parse", "main");

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String command = head + " " + "1".repeat(40) + " refs/heads/main\0report-status\n";
        body.writeBytes(String.format("%04x", command.length() + 4).getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(command.getBytes(StandardCharsets.US_ASCII));
        body.writeBytes("0000".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes("PACK\0\0\0\2\0\0\0\1this is not a pack at all".getBytes(StandardCharsets.US_ASCII));
        String answer = given().auth().oauth2(token).contentType("application/x-git-receive-pack-request")
                .body(body.toByteArray())
                .post("/" + org + "/r.git/git-receive-pack")
                .then().extract().asString();
        assertThat(answer).doesNotContain("ok refs/heads/main");
        given().auth().oauth2(token).contentType("application/x-git-receive-pack-request")
                .body("complete garbage".getBytes(StandardCharsets.US_ASCII))
                .post("/" + org + "/r.git/git-receive-pack")
                .then().statusCode(not(200));

        assertThat(git.out(r, "ls-remote", "origin", "refs/heads/main")).startsWith(head);
        Git.Result fsck = git.run(work, "--git-dir=" + store.dir(id), "fsck", "--strict");
        assertThat(fsck.exit()).as(fsck.out()).isZero();
        assertThat(Outbox.events(pool, id, "repo.pushed")).hasSize(1);
    }

    @Test
    void concurrentPushesLeaveAConsistentRepositoryAndOneEventPerMovedRef() throws Exception {
        String org = Fixtures.uniqueOrg("race");
        String token = Fixtures.owner(16);
        long id = Fixtures.createRepo(token, org, "race", false);
        Git git = new Git(token);
        Path seed = Git.tempDir();
        git.run(seed, "clone", Fixtures.url(org, "race"), "race").ok();
        Git.write(seed.resolve("race/base.txt"), "base\n");
        git.out(seed.resolve("race"), "add", ".");
        git.out(seed.resolve("race"), "commit", "-m", "base");
        git.out(seed.resolve("race"), "push", "origin", "main");

        // Four writers, each with a commit for main (diverging from the others) and its own branch.
        int writers = 4;
        List<Path> clones = new java.util.ArrayList<>();
        List<String> mainCandidates = new java.util.ArrayList<>();
        for (int i = 0; i < writers; i++) {
            Path work = Git.tempDir();
            git.run(work, "clone", Fixtures.url(org, "race"), "w").ok();
            Path w = work.resolve("w");
            Git.write(w.resolve("writer.txt"), "writer " + i + "\n");
            git.out(w, "add", ".");
            git.out(w, "commit", "-m", "writer " + i);
            mainCandidates.add(git.out(w, "rev-parse", "HEAD"));
            git.out(w, "branch", "b" + i);
            clones.add(w);
        }
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(writers);
        List<java.util.concurrent.Future<Git.Result>> pushes = new java.util.ArrayList<>();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        for (Path w : clones) {
            pushes.add(executor.submit(() -> {
                start.await();
                return git.run(w, "push", "origin", "main", "b" + clones.indexOf(w));
            }));
        }
        start.countDown();
        int mainWinners = 0;
        for (var push : pushes) {
            Git.Result result = push.get(120, java.util.concurrent.TimeUnit.SECONDS);
            if (result.exit() == 0) {
                mainWinners++;
            } else {
                // The losers' main is refused (their base moved); git says so, their branch still lands.
                assertThat(result.out()).contains("main").containsAnyOf("rejected", "failed");
            }
        }
        executor.shutdown();
        assertThat(mainWinners).isEqualTo(1);

        String remote = git.out(seed.resolve("race"), "ls-remote", "origin");
        String remoteMain = remote.lines().filter(l -> l.endsWith("\trefs/heads/main")).findFirst().orElseThrow().split("\t")[0];
        assertThat(mainCandidates).contains(remoteMain);
        for (int i = 0; i < writers; i++) {
            assertThat(remote).contains(mainCandidates.get(i) + "\trefs/heads/b" + i);
        }
        Git.Result fsck = git.run(seed, "--git-dir=" + store.dir(id), "fsck", "--strict");
        assertThat(fsck.exit()).as(fsck.out()).isZero();
        // The base push, the winning main update and the four branch creations: one event each.
        List<JsonObject> pushed = Outbox.events(pool, id, "repo.pushed");
        assertThat(pushed).extracting(e -> e.getJsonObject("data").getString("ref")).containsExactlyInAnyOrder(
                "refs/heads/main", "refs/heads/main", "refs/heads/b0", "refs/heads/b1", "refs/heads/b2", "refs/heads/b3");
        assertThat(pushed).filteredOn(e -> e.getJsonObject("data").getString("ref").equals("refs/heads/main"))
                .extracting(e -> e.getJsonObject("data").getString("after")).endsWith(remoteMain);
        assertThat(maintenance.reconcile(id)).isZero();
    }

    @Test
    void aCorruptObjectIsRefusedWithAMessageGitPrints() {
        String org = Fixtures.uniqueOrg("corrupt");
        String token = Fixtures.owner(17);
        long id = Fixtures.createRepo(token, org, "c", false);
        Git git = new Git(token);
        Path work = Git.tempDir();
        git.run(work, "clone", Fixtures.url(org, "c"), "c").ok();
        Path c = work.resolve("c");
        // A commit whose author has no closing '>': stock git writes it with --literally, fsck refuses it.
        String emptyTree = git.out(c, "hash-object", "-t", "tree", "-w", "/dev/null");
        Git.write(c.resolve(".bad-commit"), "tree " + emptyTree + "\n"
                + "author Mallory <mallory@example.com 1700000000 +0000\n"
                + "committer Mallory <mallory@example.com> 1700000000 +0000\n\nbroken ident\n");
        String bad = git.out(c, "hash-object", "-t", "commit", "--literally", "-w", ".bad-commit");

        Git.Result push = git.run(c, "push", "origin", bad + ":refs/heads/main");
        assertThat(push.exit()).isNotZero();
        assertThat(push.out()).contains("remote unpack failed").contains("[remote rejected]");
        assertThat(git.out(c, "ls-remote", "origin")).isEmpty();
        assertThat(Outbox.events(pool, id, "repo.pushed")).isEmpty();
        Git.Result fsck = git.run(work, "--git-dir=" + store.dir(id), "fsck", "--strict");
        assertThat(fsck.exit()).as(fsck.out()).isZero();
    }

    /** A clone or fetch that does not speak git's protocol is told so (400); the server logs no stack trace for it. */
    @Test
    void aBodyThatIsNotGitsProtocolIs400WithoutAStackTrace() {
        String org = Fixtures.uniqueOrg("garbled");
        String token = Fixtures.owner(19);
        Fixtures.createRepo(token, org, "g", false);
        List<LogRecord> logged;
        try (LogCapture capture = new LogCapture()) {
            logged = capture.records;
            for (String protocol : List.of("version=0", "version=2")) {
                gitRequest(token).header("Git-Protocol", protocol)
                        .body("zzzz".getBytes(StandardCharsets.UTF_8)).post("/" + org + "/g.git/git-upload-pack")
                        .then().statusCode(400)
                        .body(containsString("ERR the request could not be read as git's protocol: Invalid packet line header: zzzz"));
            }
            // protocol v2's ls-refs whose second pkt-line announces 22 bytes and holds 23
            gitRequest(token).header("Git-Protocol", "version=2")
                    .body("0014command=ls-refs\n0016object-format=sha1\n0000".getBytes(StandardCharsets.UTF_8))
                    .post("/" + org + "/g.git/git-upload-pack")
                    .then().statusCode(400).body(containsString("Invalid packet line header"));
        }
        assertThat(logged).as("nothing logged with a stack trace or at error level")
                .noneMatch(r -> r.getThrown() != null || r.getLevel().intValue() >= Level.SEVERE.intValue());
    }

    /** Everything logged (Quarkus logs through java.util.logging) while it is open. */
    private static final class LogCapture extends Handler implements AutoCloseable {

        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        LogCapture() {
            Logger.getLogger("").addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }

    /** An upload-pack request with git's exact content type (RestAssured would add a charset JGit refuses). */
    private static io.restassured.specification.RequestSpecification gitRequest(String token) {
        return given().auth().oauth2(token)
                .config(RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("application/x-git-upload-pack-request");
    }

    @Test
    void gitNeedsTheInternalTokenAndPushNeedsMembership() {
        String org = Fixtures.uniqueOrg("auth");
        long id = Fixtures.createRepo(Fixtures.owner(14), org, "p", false);
        given().get("/" + org + "/p.git/info/refs?service=git-upload-pack")
                .then().statusCode(401).body("error.code", equalTo("unauthorized"));
        given().header("Authorization", "Bearer not-a-jwt").get("/" + org + "/p.git/info/refs?service=git-upload-pack")
                .then().statusCode(401);
        given().auth().oauth2(Fixtures.outsider(14)).get("/" + org + "/p.git/info/refs?service=git-receive-pack")
                .then().statusCode(403).body("error.code", equalTo("forbidden"));
        given().auth().oauth2(Fixtures.outsider(14)).get("/" + org + "/p.git/info/refs?service=git-upload-pack")
                .then().statusCode(200);
        given().auth().oauth2(Fixtures.outsider(14)).get("/" + org + "/nope.git/info/refs?service=git-upload-pack")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        // The dumb protocol is off.
        given().auth().oauth2(Fixtures.owner(14)).get("/" + org + "/p.git/info/refs")
                .then().statusCode(not(200));
        Git outsider = new Git(Fixtures.outsider(14));
        Path work = Git.tempDir();
        outsider.run(work, "clone", Fixtures.url(org, "p"), "p").ok();
        Path p = work.resolve("p");
        Git.write(p.resolve("x"), "x\n");
        outsider.out(p, "add", ".");
        outsider.out(p, "commit", "-m", "x");
        assertThat(outsider.run(p, "push", "origin", "main").exit()).isNotZero();
        assertThat(Outbox.events(pool, id, "repo.pushed")).isEmpty();
        assertThat(RestAssured.port).isPositive();
    }
}
