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
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.compat.storage.StorageApiTest.GitResult;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code +ephemeral} git remote: the repository's ephemeral namespace served as a whole
 * repository (clone sees the ephemeral branches as ordinary ones, pushes land back in the
 * namespace, journaled and announced), and the SDK's {@code +import} remote answered plainly.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageEphemeralRemoteTest {

    private static final String API = "/storage/api/v1/repos";
    private static final String NS = "refs/namespaces/ephemeral/refs/heads/";

    @Inject
    Pool pool;

    @Test
    void ephemeralRemoteClonesAndPushesTheNamespaceOnly() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "ephemeral-remote");
        String main = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("README.md", "r"))), chunk("r", b64("main\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        Map<String, Object> preview = meta("preview", null, List.of(upsert("preview.txt", "p")));
        preview.put("base_branch", "main");
        preview.put("ephemeral", true);
        String eph = commitPack(issuer, repo, ndjson(preview, chunk("p", b64("draft\n"), true)))
                .then().statusCode(201).body("result.old_sha", equalTo("0".repeat(40))).extract().path("result.new_sha");
        // the ephemeral branch is not an ordinary branch; the API sees it with ephemeral=true
        as(issuer, repo, ALL).get(API + "/branches").then().statusCode(200).body("branches.name", equalTo(List.of("main")));
        as(issuer, repo, ALL).queryParam("ephemeral", "true").get(API + "/branches").then().statusCode(200)
                .body("branches.name", equalTo(List.of("preview"))).body("branches[0].head_sha", equalTo(eph));
        as(issuer, repo, ALL).queryParam("branch", "preview").queryParam("ephemeral", "true").get(API + "/commits").then()
                .statusCode(200).body("commits.sha", equalTo(List.of(eph, main)));
        as(issuer, repo, ALL).queryParam("ref", "preview").queryParam("ephemeral", "true").get(API + "/files").then()
                .statusCode(200).body("paths", equalTo(List.of("README.md", "preview.txt")));
        as(issuer, repo, ALL).queryParam("branch", "preview").get(API + "/commits").then().statusCode(404);

        String base = "http://localhost:" + RestAssured.port + "/storage/" + repo;
        Path work = Files.createTempDirectory("storage-ephemeral");
        // the ordinary remote does not show ephemeral branches
        GitResult plain = git(work, issuer, repo, "git:read", "ls-remote", base + ".git");
        assertThat(plain.exit()).as(plain.out()).isZero();
        assertThat(plain.out()).contains("refs/heads/main").doesNotContain("preview").doesNotContain("namespaces");
        // the ephemeral remote shows only them, as ordinary branches; HEAD falls back to its first branch
        GitResult listed = git(work, issuer, repo, "git:read", "ls-remote", base + "+ephemeral.git");
        assertThat(listed.exit()).as(listed.out()).isZero();
        assertThat(listed.out()).contains(eph + "\trefs/heads/preview").doesNotContain("refs/heads/main").doesNotContain("namespaces");
        GitResult cloned = git(work, issuer, repo, "git:read", "clone", base + "+ephemeral.git", "eph");
        assertThat(cloned.exit()).as(cloned.out()).isZero();
        Path clone = work.resolve("eph");
        assertThat(Files.readString(clone.resolve("preview.txt"))).isEqualTo("draft\n");

        // a push needs git:write, then lands under the namespace: main and refs/heads stay as they were
        Files.writeString(clone.resolve("preview.txt"), "draft 2\n");
        git(clone, issuer, repo, "git:read", "commit", "-am", "second draft");
        GitResult refused = git(clone, issuer, repo, "git:read", "push", "origin", "preview");
        assertThat(refused.exit()).as(refused.out()).isNotZero();
        GitResult pushed = git(clone, issuer, repo, "git:read git:write", "push", "origin", "preview", "preview:refs/heads/other");
        assertThat(pushed.exit()).as(pushed.out()).isZero();
        String newHead = git(clone, issuer, repo, "git:read", "rev-parse", "HEAD").out().strip();
        as(issuer, repo, ALL).queryParam("ephemeral", "true").get(API + "/branches").then().statusCode(200)
                .body("branches.name", equalTo(List.of("preview", "other"))).body("branches[0].head_sha", equalTo(newHead));
        as(issuer, repo, ALL).get(API + "/branches").then().body("branches.name", equalTo(List.of("main")));
        assertThat(head(issuer, repo, "main")).isEqualTo(main);
        as(issuer, repo, ALL).queryParam("branch", "preview").queryParam("ephemeral", "true").get(API + "/branches/diff").then()
                .statusCode(200).body("base", equalTo("main")).body("files.path", equalTo(List.of("preview.txt")));

        // the push was journaled and announced under the namespaced ref, like commit-pack's ephemeral writes
        long repoId = pool.preparedQuery("SELECT repo_id FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, repo)).await().indefinitely().iterator().next().getLong(0);
        List<String> refs = Outbox.events(pool, repoId, "repo.pushed").stream()
                .map(e -> e.getJsonObject("data").getString("ref")).toList();
        assertThat(refs.subList(0, 2)).containsExactly("refs/heads/main", NS + "preview");
        assertThat(refs.subList(2, refs.size())).containsExactlyInAnyOrder(NS + "preview", NS + "other");
        JsonObject moved = Outbox.events(pool, repoId, "repo.pushed").subList(2, 4).stream().map(e -> e.getJsonObject("data"))
                .filter(d -> d.getString("ref").equals(NS + "preview")).findFirst().orElseThrow();
        assertThat(moved.getString("before")).isEqualTo(eph);
        assertThat(moved.getString("after")).isEqualTo(newHead);

        // a token for another repository cannot use this one's ephemeral remote
        GitResult other = git(work, issuer, "someone-else", "git:read", "ls-remote", base + "+ephemeral.git");
        assertThat(other.exit()).isNotZero();
        assertThat(other.out()).contains("403");
    }

    @Test
    void importRemoteIsNotServedAndSaysSo() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "import-remote");
        for (String service : List.of("git-upload-pack", "git-receive-pack")) {
            // git sends '+' as it is; so does this request (no percent-encoding)
            as(issuer, repo, ALL).urlEncodingEnabled(false).get("/storage/" + repo + "+import.git/info/refs?service=" + service).then()
                    .statusCode(404).body("error.code", equalTo("not_found"))
                    .body("error.message", org.hamcrest.Matchers.containsString("/storage/" + repo + ".git"));
        }
        as(issuer, repo, ALL).queryParam("ephemeral", "sometimes").get(API + "/branches").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("ephemeral must be true or false"));
    }
}
