package dev.shoal.repo.compat.storage;

import static dev.shoal.repo.compat.storage.StorageApiTest.ALL;
import static dev.shoal.repo.compat.storage.StorageApiTest.as;
import static dev.shoal.repo.compat.storage.StorageApiTest.issuer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * pull-upstream and base_repo against a real upstream: bare repositories on disk under the
 * configured {@code shoal.repo.storage.upstream.github-url} (a file:// URL), fetched by JGit.
 * Also the SDK's repository info ({@code GET /repo}) and delete.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageUpstreamTest {

    private static final String API = "/storage/api/v1/repos";

    @Inject
    Pool pool;

    /** A bare upstream repository {@code owner/name.git} in the configured GitHub directory. */
    static Repository upstream(String owner, String name) throws Exception {
        String base = ConfigProvider.getConfig().getValue("shoal.repo.storage.upstream.github-url", String.class);
        Path dir = Path.of(URI.create(base)).resolve(owner).resolve(name + ".git");
        return Git.init().setBare(true).setInitialBranch("main").setGitDir(dir.toFile()).call().getRepository();
    }

    /** Commits one file on {@code branch} (on top of its head) and returns the commit. */
    static String commit(Repository git, String branch, String path, String content) throws Exception {
        try (ObjectInserter ins = git.newObjectInserter()) {
            ObjectId blob = ins.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
            TreeFormatter tree = new TreeFormatter();
            tree.append(path, FileMode.REGULAR_FILE, blob);
            ObjectId treeId = ins.insert(tree);
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(treeId);
            ObjectId parent = git.resolve(Constants.R_HEADS + branch);
            if (parent != null) {
                c.setParentId(parent);
            }
            PersonIdent who = new PersonIdent("Octo Cat", "octo@example.com", Instant.parse("2024-01-15T10:30:00Z"), ZoneOffset.UTC);
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("upstream: " + path + "\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            RefUpdate u = git.updateRef(Constants.R_HEADS + branch);
            u.setNewObjectId(id);
            u.setForceUpdate(true);
            assertThat(u.update()).isIn(RefUpdate.Result.NEW, RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.FORCED);
            return id.name();
        }
    }

    static String branchHead(String issuer, String repo, String branch) throws Exception {
        List<Map<String, Object>> branches = as(issuer, repo, ALL).queryParam("limit", "100").get(API + "/branches")
                .then().statusCode(200).extract().path("branches");
        return branches.stream().filter(b -> branch.equals(b.get("name"))).map(b -> (String) b.get("head_sha")).findFirst().orElse(null);
    }

    static void await(String what, Supplier<Boolean> done) {
        Waits.until(Duration.ofSeconds(20), done::get, () -> "timed out waiting for " + what);
    }

    static Supplier<Boolean> headIs(String issuer, String repo, String branch, String sha) {
        return () -> {
            try {
                return sha.equals(branchHead(issuer, repo, branch));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    long repoId(String issuer, String repo) {
        return pool.preparedQuery("SELECT repo_id FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, repo)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void createWithBaseRepoSyncsAndPullUpstreamFetchesBranchesThroughTheJournal() throws Exception {
        String owner = "octo-" + System.nanoTime() % 100000;
        Repository up = upstream(owner, "hello.world");
        String m1 = commit(up, "main", "README.md", "hello\n");
        String issuer = issuer();
        String repo = "mirrors/hello";
        as(issuer, repo, ALL).contentType("application/json")
                .body("{\"base_repo\":{\"provider\":\"github\",\"owner\":\"" + owner + "\",\"name\":\"hello.world\",\"default_branch\":\"main\"}}")
                .post(API).then().statusCode(201).body("id", equalTo(repo));
        // creation starts the first sync
        await("the initial sync", headIs(issuer, repo, "main", m1));
        byte[] readme = as(issuer, repo, ALL).queryParam("path", "README.md").get(API + "/file").then().statusCode(200)
                .extract().asByteArray();
        assertThat(new String(readme, StandardCharsets.UTF_8)).isEqualTo("hello\n");

        as(issuer, repo, "git:read").get("/storage/api/v1/repo").then().statusCode(200)
                .body("repo_id", equalTo(repo))
                .body("url", equalTo("http://shoal.test/storage/mirrors/hello.git"))
                .body("default_branch", equalTo("main"))
                .body("created_at", org.hamcrest.Matchers.notNullValue())
                .body("base_repo.provider", equalTo("github"))
                .body("base_repo.owner", equalTo(owner))
                .body("base_repo.name", equalTo("hello.world"));

        // upstream moves on: a new commit on main and a new branch; ref limits the sync to one branch
        String m2 = commit(up, "main", "README.md", "hello again\n");
        String f1 = commit(up, "feature", "f.txt", "feature\n");
        as(issuer, repo, ALL).contentType("application/json").body("{\"ref\":\"feature\"}").post(API + "/pull-upstream")
                .then().statusCode(202).body("message", equalTo("Repository sync initiated successfully"));
        await("feature synced", headIs(issuer, repo, "feature", f1));
        assertThat(branchHead(issuer, repo, "main")).isEqualTo(m1);

        // after: only branches whose upstream head contains that commit (main does, feature's history does not)
        String f2 = commit(up, "feature", "g.txt", "unrelated\n");
        as(issuer, repo, ALL).contentType("application/json").body("{\"after\":\"" + m1 + "\"}").post(API + "/pull-upstream")
                .then().statusCode(202);
        await("main synced", headIs(issuer, repo, "main", m2));
        assertThat(branchHead(issuer, repo, "feature")).isEqualTo(f1);

        // no body: everything
        as(issuer, repo, ALL).post(API + "/pull-upstream").then().statusCode(202);
        await("all synced", headIs(issuer, repo, "feature", f2));

        // every move went through the journal and emitted repo.pushed with the issuer as pusher
        List<JsonObject> pushed = Outbox.events(pool, repoId(issuer, repo), "repo.pushed");
        assertThat(pushed.stream().map(e -> e.getJsonObject("data").getString("ref") + "@" + e.getJsonObject("data").getString("after")))
                .containsExactly("refs/heads/main@" + m1, "refs/heads/feature@" + f1, "refs/heads/main@" + m2, "refs/heads/feature@" + f2);
        assertThat(pushed.get(2).getJsonObject("data").getString("before")).isEqualTo(m1);
        assertThat(pushed.get(0).getJsonObject("data").getJsonObject("pusher").getString("login")).isEqualTo(issuer);
        long journaled = pool.preparedQuery("SELECT count(*) FROM ref_journal WHERE repo_id = $1").execute(Tuple.of(repoId(issuer, repo)))
                .await().indefinitely().iterator().next().getLong(0);
        assertThat(journaled).isEqualTo(4);
        // the sync's outcome is recorded
        var row = pool.preparedQuery("SELECT upstream_synced_at, upstream_error FROM storage_repository WHERE repo_id = $1")
                .execute(Tuple.of(repoId(issuer, repo))).await().indefinitely().iterator().next();
        assertThat(row.getValue(0)).isNotNull();
        assertThat(row.getString(1)).isNull();
        up.close();
    }

    @Test
    void pullUpstreamRefusesBadInput() throws Exception {
        String issuer = issuer();
        StorageApiTest.create(issuer, "plain");
        as(issuer, "plain", ALL).post(API + "/pull-upstream").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("error", containsString("no upstream"));
        as(issuer, "missing", ALL).post(API + "/pull-upstream").then().statusCode(404).body("code", equalTo("not_found"));
        // the seed answers 403 here (401 on the other routes, e.g. a write without git:write)
        as(issuer, "plain", "git:read").post(API + "/pull-upstream").then().statusCode(403)
                .body("code", equalTo("forbidden")).body("error", containsString("git:write"));
        as(issuer, "plain", "git:read").contentType("application/json").body("{\"name\":\"x\",\"target\":\"main\"}")
                .post(API + "/tags").then().statusCode(401).body("error", containsString("git:write"));
        as(issuer, "plain", ALL).contentType("application/json").body("{\"ref\":1}").post(API + "/pull-upstream").then().statusCode(400);
        as(issuer, "plain", ALL).contentType("application/json").body("{\"nope\":true}").post(API + "/pull-upstream").then().statusCode(400)
                .body("error", containsString("nope"));

        String owner = "octo-bad-" + System.nanoTime() % 100000;
        upstream(owner, "r").close();
        String base = "{\"base_repo\":{\"provider\":\"github\",\"owner\":\"" + owner + "\",\"name\":\"r\"}}";
        as(issuer, "synced", ALL).contentType("application/json").body(base).post(API).then().statusCode(201);
        as(issuer, "synced", ALL).contentType("application/json").body("{\"ref\":\"a b\"}").post(API + "/pull-upstream")
                .then().statusCode(400).body("error", containsString("ref"));
        as(issuer, "synced", ALL).contentType("application/json").body("{\"after\":\"xyz\"}").post(API + "/pull-upstream")
                .then().statusCode(400).body("error", containsString("after"));

        // base_repo: GitHub sync (forks: StorageForkTest), with names that cannot escape the upstream directory
        for (String bad : List.of("{\"provider\":\"gitlub\",\"owner\":\"o\",\"name\":\"n\"}",
                "{\"provider\":\"github\",\"owner\":\"..\",\"name\":\"n\"}",
                "{\"provider\":\"github\",\"owner\":\"o\",\"name\":\"a/../../b\"}",
                "{\"provider\":\"github\",\"owner\":\"o\"}",
                "{\"provider\":\"github\",\"owner\":\"o\",\"name\":\"n\",\"default_branch\":\"a..b\"}",
                "{\"provider\":\"github\",\"owner\":\"o\",\"name\":\"n\",\"operation\":\"fork\"}")) {
            as(issuer, "never", ALL).contentType("application/json").body("{\"base_repo\":" + bad + "}").post(API)
                    .then().statusCode(400).body("error", containsString("base_repo"));
        }
        as(issuer, "never", ALL).get("/storage/api/v1/repo").then().statusCode(404);
    }

    @Test
    void repoInfoAndDelete() throws Exception {
        String issuer = issuer();
        as(issuer, "team/info", ALL).contentType("application/json").body("{\"default_branch\":\"trunk\"}").post(API)
                .then().statusCode(201);
        as(issuer, "team/info", "git:read").get("/storage/api/v1/repo").then().statusCode(200)
                .body("repo_id", equalTo("team/info")).body("default_branch", equalTo("trunk"))
                .body("$", not(org.hamcrest.Matchers.hasKey("base_repo")));
        long id = repoId(issuer, "team/info");
        as(issuer, "team/info", "git:read git:write").delete(API + "/delete").then().statusCode(401);
        as(issuer, "team/info", ALL).delete(API + "/delete").then().statusCode(200)
                .body("repo_id", equalTo("team/info")).body("message", containsString("deleted"));
        as(issuer, "team/info", ALL).get("/storage/api/v1/repo").then().statusCode(404);
        as(issuer, "team/info", ALL).delete(API + "/delete").then().statusCode(404);
        assertThat(Outbox.events(pool, id, "repo.deleted")).hasSize(1);
        // the id is free again
        as(issuer, "team/info", ALL).contentType("application/json").body("{}").post(API).then().statusCode(201);
    }

    @Test
    void listsTheIssuersRepositoriesInCreationOrderAcrossPages() throws Exception {
        String issuer = issuer();
        StorageApiTest.create(issuer, "one");
        StorageApiTest.create(issuer, "team/two");
        StorageApiTest.create(issuer, "three_100");
        StorageApiTest.create(issuer(), "other-issuer");
        String orgRead = "org:read";
        var first = as(issuer, "org", orgRead).queryParam("limit", "2").get(API);
        first.then().statusCode(200).body("repos.repo_id", equalTo(List.of("one", "team/two"))).body("has_more", equalTo(true))
                .body("repos[1].url", equalTo("http://shoal.test/storage/team/two.git"))
                .body("repos[0].default_branch", equalTo("main"))
                .body("repos[0]", not(org.hamcrest.Matchers.hasKey("base_repo")));
        as(issuer, "org", orgRead).queryParam("limit", "2").queryParam("cursor", (String) first.path("next_cursor")).get(API)
                .then().statusCode(200).body("repos.repo_id", equalTo(List.of("three_100"))).body("has_more", equalTo(false))
                .body("$", not(org.hamcrest.Matchers.hasKey("next_cursor")));
        // q: a literal substring of the id (LIKE wildcards are not wildcards)
        as(issuer, "org", orgRead).queryParam("q", "TWO").get(API).then().statusCode(200).body("repos.repo_id", equalTo(List.of("team/two")));
        // '%' can be in no id (git URLs could not carry it, issue 24): as a wildcard it would match every repository
        as(issuer, "org", orgRead).queryParam("q", "%").get(API).then().statusCode(200).body("repos.repo_id", equalTo(List.of()));
        as(issuer, "org", orgRead).queryParam("q", "_").get(API).then().statusCode(200).body("repos.repo_id", equalTo(List.of("three_100")));
        as(issuer, "org", orgRead).queryParam("cursor", "nope").get(API).then().statusCode(400);
        as(issuer, "org", orgRead).queryParam("limit", "101").get(API).then().statusCode(400);
        as(issuer, "org", "git:read").get(API).then().statusCode(401);
    }
}
