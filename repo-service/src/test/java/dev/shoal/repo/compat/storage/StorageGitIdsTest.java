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

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.compat.storage.StorageApiTest.GitResult;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 24: every id the API creates is reachable over git under the same id ({@code /} included),
 * with the real {@code git}: clone, push, fetch, the ephemeral remote, and delete; ids git could not
 * reach are refused at creation with 400 and a message, and nothing is created.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageGitIdsTest {

    private static final String API = "/storage/api/v1/repos";

    @Inject
    Pool pool;

    @Test
    void idsWithSlashesDotsDashesUnderscoresDigitsAndUpperCaseWorkOverGit() throws Exception {
        String issuer = issuer();
        for (String id : List.of("team/project-alpha", "Team/Sub.Dir/Project_1-2", "a.b/c-d_e/F9", "deep/1/2/3/4/5/six",
                "v1.2.3", "UPPER", "x.git/inner", "team/a+b@c~d=e,f")) {
            walk(issuer, id);
        }
    }

    private void walk(String issuer, String id) throws Exception {
        create(issuer, id);
        String c1 = commitPack(issuer, id, ndjson(meta("main", null, List.of(upsert("README.md", "r"))), chunk("r", b64(id + "\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        String base = "http://localhost:" + RestAssured.port + "/storage/";
        Path work = Files.createTempDirectory("storage-ids");

        // clone as getRemoteURL() spells it (the id pasted as it is) ...
        GitResult cloned = git(work, issuer, id, "git:read", "clone", base + id + ".git", "clone");
        assertThat(cloned.exit()).as(id + ": " + cloned.out()).isZero();
        Path clone = work.resolve("clone");
        assertThat(Files.readString(clone.resolve("README.md"))).isEqualTo(id + "\n");
        // ... and as findOne's url spells it (percent-encoded, '/' kept)
        String url = as(issuer, id, ALL).get("/storage/api/v1/repo").then().statusCode(200).body("repo_id", equalTo(id))
                .extract().path("url");
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
        assertThat(url).endsWith("/storage/" + encoded + ".git");
        GitResult listed = git(work, issuer, id, "git:read", "ls-remote", base + encoded + ".git");
        assertThat(listed.exit()).as(id + ": " + listed.out()).isZero();
        assertThat(listed.out()).contains(c1 + "\trefs/heads/main");

        // push: needs git:write; lands on the branch the API reads
        Files.writeString(clone.resolve("pushed.txt"), "from git\n");
        git(clone, issuer, id, "git:read", "add", "pushed.txt");
        git(clone, issuer, id, "git:read", "commit", "-m", "pushed");
        GitResult refused = git(clone, issuer, id, "git:read", "push", "origin", "main");
        assertThat(refused.exit()).as(id + ": " + refused.out()).isNotZero();
        GitResult pushed = git(clone, issuer, id, "git:read git:write", "push", "origin", "main", "main:refs/heads/side");
        assertThat(pushed.exit()).as(id + ": " + pushed.out()).isZero();
        String c2 = git(clone, issuer, id, "git:read", "rev-parse", "HEAD").out().strip();
        assertThat(head(issuer, id, "main")).isEqualTo(c2);
        as(issuer, id, ALL).get(API + "/branches").then().statusCode(200).body("branches.name", equalTo(List.of("main", "side")));

        // fetch: a commit made through the API arrives
        String c3 = commitPack(issuer, id, ndjson(meta("main", c2, List.of(upsert("api.txt", "a"))), chunk("a", b64("api\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        GitResult fetched = git(clone, issuer, id, "git:read", "fetch", "origin");
        assertThat(fetched.exit()).as(id + ": " + fetched.out()).isZero();
        assertThat(git(clone, issuer, id, "git:read", "rev-parse", "origin/main").out().strip()).isEqualTo(c3);

        // the ephemeral remote of the same id
        Map<String, Object> preview = meta("preview", null, List.of(upsert("draft.txt", "d")));
        preview.put("base_branch", "main");
        preview.put("ephemeral", true);
        commitPack(issuer, id, ndjson(preview, chunk("d", b64("draft\n"), true))).then().statusCode(201);
        GitResult eph = git(work, issuer, id, "git:read", "clone", base + id + "+ephemeral.git", "eph");
        assertThat(eph.exit()).as(id + ": " + eph.out()).isZero();
        assertThat(Files.readString(work.resolve("eph/draft.txt"))).isEqualTo("draft\n");

        // another id's token, even a prefix of this one, does not open it
        if (id.contains("/")) {
            String prefix = id.substring(0, id.lastIndexOf('/'));
            GitResult other = git(work, issuer, prefix, "git:read", "ls-remote", base + id + ".git");
            assertThat(other.exit()).isNotZero();
            assertThat(other.out()).contains("403");
        }

        // delete: gone from the API and from git
        as(issuer, id, ALL).delete(API + "/delete").then().statusCode(200).body("repo_id", equalTo(id));
        GitResult gone = git(work, issuer, id, "git:read", "ls-remote", base + id + ".git");
        assertThat(gone.exit()).isNotZero();
        assertThat(gone.out()).contains("not found"); // git's words for the 404
    }

    @Test
    void idsGitCannotReachAreRefusedAtCreationAndNothingIsCreated() throws Exception {
        String issuer = issuer();
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("../escape", "'.' or '..'");
        refused.put("team/../other", "'.' or '..'");
        refused.put("team/./other", "'.' or '..'");
        refused.put("/leading", "start or end with '/'");
        refused.put("trailing/", "start or end with '/'");
        refused.put("team//double", "'//'");
        refused.put("project.git", "end with '.git'");
        refused.put("team/Project.GIT", "end with '.git'");
        refused.put("team/x+ephemeral", "end with '+ephemeral'");
        refused.put("team/x+import", "end with '+import'");
        refused.put("x".repeat(513), "has 513 characters; at most 512");
        refused.put("with space", "may not contain ' '");
        refused.put("what?", "may not contain '?'");
        refused.put("hash#tag", "may not contain '#'");
        refused.put("per%41cent", "may not contain '%'");
        refused.put("semi;colon", "may not contain ';'");
        refused.put("back\\slash", "may not contain '\\'");
        refused.put("tab\there", "control characters");
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            as(issuer, bad.getKey(), ALL).contentType("application/json").body("{}").post(API).then().statusCode(400)
                    .body("code", equalTo("validation_failed")).body("error", containsString(bad.getValue()));
            as(issuer, bad.getKey(), ALL).get("/storage/api/v1/repo").then().statusCode(404);
        }
        // forks check the new id before anything else is created, too
        String parent = create(issuer, "team/parent");
        as(issuer, "team/fork.git", ALL).contentType("application/json")
                .body(Map.of("base_repo", Map.of("provider", "code", "owner", issuer, "name", parent, "operation", "fork",
                        "auth", Map.of("token", "not-checked-before-the-id"))))
                .post(API).then().statusCode(400).body("error", containsString("end with '.git'"));
        long rows = pool.preparedQuery("SELECT count(*) FROM storage_repository WHERE issuer = $1").execute(Tuple.of(issuer))
                .await().indefinitely().iterator().next().getLong(0);
        assertThat(rows).isEqualTo(1);
        // the longest id allowed is created
        create(issuer, "y".repeat(512));
    }
}
