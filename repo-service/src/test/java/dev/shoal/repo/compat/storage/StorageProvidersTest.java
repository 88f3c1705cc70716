package dev.shoal.repo.compat.storage;

import static dev.shoal.repo.compat.storage.StorageApiTest.ALL;
import static dev.shoal.repo.compat.storage.StorageApiTest.as;
import static dev.shoal.repo.compat.storage.StorageApiTest.issuer;
import static dev.shoal.repo.compat.storage.StorageUpstreamTest.await;
import static dev.shoal.repo.compat.storage.StorageUpstreamTest.commit;
import static dev.shoal.repo.compat.storage.StorageUpstreamTest.headIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Generic upstream providers (gitlab, sr.ht, a self-hosted forgejo): creation stores the host, the
 * first sync and pull-upstream fetch through the host's configured mirror (a file:// directory of
 * bare repositories), and hosts that are not bare, allow-listed DNS names are refused (SSRF).
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageProvidersTest {

    private static final String API = "/storage/api/v1/repos";

    @Inject
    Pool pool;

    /** A bare repository {@code owner/name.git} behind the mirror the tests configure for {@code host}. */
    static Repository upstreamOn(String host, String owner, String name) throws Exception {
        String mirror = ConfigProvider.getConfig().getValue("shoal.repo.storage.upstream.mirrors.\"" + host + "\"", String.class);
        Path dir = Path.of(URI.create(mirror)).resolve(owner).resolve(name + ".git");
        return Git.init().setBare(true).setInitialBranch("main").setGitDir(dir.toFile()).call().getRepository();
    }

    private String host(String issuer, String repo) {
        var row = pool.preparedQuery("SELECT base_provider, base_owner, base_host FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, repo)).await().indefinitely().iterator().next();
        return row.getString(0) + ":" + row.getString(1) + "@" + row.getString(2);
    }

    @Test
    void gitlabSyncsThroughItsMirrorAndPullUpstreamFollows() throws Exception {
        String owner = "group-" + System.nanoTime() % 100000;
        Repository up = upstreamOn("gitlab.com", owner, "proj");
        String m1 = commit(up, "main", "README.md", "from gitlab\n");
        String issuer = issuer();
        as(issuer, "gl", ALL).contentType("application/json")
                .body("{\"base_repo\":{\"provider\":\"gitlab\",\"owner\":\"" + owner + "\",\"name\":\"proj\",\"default_branch\":\"main\"}}")
                .post(API).then().statusCode(201).body("id", equalTo("gl"));
        await("the initial gitlab sync", headIs(issuer, "gl", "main", m1));
        assertThat(host(issuer, "gl")).isEqualTo("gitlab:" + owner + "@gitlab.com");
        as(issuer, "gl", "git:read").get("/storage/api/v1/repo").then().statusCode(200)
                .body("base_repo.provider", equalTo("gitlab")).body("base_repo.owner", equalTo(owner))
                .body("base_repo.name", equalTo("proj"));

        String m2 = commit(up, "main", "README.md", "moved on\n");
        as(issuer, "gl", ALL).post(API + "/pull-upstream").then().statusCode(202);
        await("pull-upstream from the mirror", headIs(issuer, "gl", "main", m2));
        up.close();
    }

    @Test
    void srhtOwnersGetTheirTildeAndSelfHostedForgejoNeedsItsHost() throws Exception {
        String issuer = issuer();
        Repository srht = upstreamOn("git.sr.ht", "~sircmpwn", "tool");
        String s1 = commit(srht, "main", "a.txt", "sr.ht\n");
        as(issuer, "srht", ALL).contentType("application/json")
                .body("{\"base_repo\":{\"provider\":\"sr.ht\",\"owner\":\"sircmpwn\",\"name\":\"tool\"}}")
                .post(API).then().statusCode(201);
        await("the sr.ht sync", headIs(issuer, "srht", "main", s1));
        assertThat(host(issuer, "srht")).isEqualTo("sr.ht:~sircmpwn@git.sr.ht");
        as(issuer, "srht", "git:read").get("/storage/api/v1/repo").then().statusCode(200).body("base_repo.owner", equalTo("~sircmpwn"));

        as(issuer, "fj", ALL).contentType("application/json")
                .body("{\"base_repo\":{\"provider\":\"forgejo\",\"owner\":\"o\",\"name\":\"n\"}}")
                .post(API).then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("error", containsString("upstream_host is required"));
        Repository fj = upstreamOn("forge.example.org", "team", "app");
        String f1 = commit(fj, "main", "b.txt", "forgejo\n");
        as(issuer, "fj", ALL).contentType("application/json")
                .body("{\"base_repo\":{\"provider\":\"forgejo\",\"owner\":\"team\",\"name\":\"app\",\"upstream_host\":\"Forge.Example.org\"}}")
                .post(API).then().statusCode(201);
        await("the forgejo sync", headIs(issuer, "fj", "main", f1));
        assertThat(host(issuer, "fj")).isEqualTo("forgejo:team@forge.example.org");
        srht.close();
        fj.close();
    }

    @Test
    void hostsThatAreNotBareAllowListedNamesAreRefusedAndNothingIsCreated() throws Exception {
        String issuer = issuer();
        for (String bad : List.of("127.0.0.1", "[::1]", "::ffff:127.0.0.1", "gitlab.com:8443", "https://gitlab.com",
                "gitlab.com/evil", "user@gitlab.com", "user:pw@gitlab.com", "localhost", "169.254.169.254", "gitlab.com.", "a..b",
                "-bad.example.org", "gitlab.com%2F..", "")) {
            as(issuer, "refused", ALL).contentType("application/json")
                    .body(new io.vertx.core.json.JsonObject().put("base_repo", new io.vertx.core.json.JsonObject()
                            .put("provider", "gitlab").put("owner", "o").put("name", "n").put("upstream_host", bad)).encode())
                    .post(API).then().statusCode(400).body("code", equalTo("validation_failed"))
                    .body("error", containsString("bare DNS hostname"));
        }
        as(issuer, "refused", ALL).contentType("application/json")
                .body("{\"base_repo\":{\"provider\":\"gitlab\",\"owner\":\"o\",\"name\":\"n\",\"upstream_host\":\"gitlab.internal.corp\"}}")
                .post(API).then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("error", containsString("shoal.repo.storage.upstream.allowed-hosts"));
        as(issuer, "refused", ALL).contentType("application/json")
                .body("{\"base_repo\":{\"provider\":\"gitlab\",\"owner\":\"o\",\"name\":\"n\",\"upstream_host\":7}}")
                .post(API).then().statusCode(400);
        as(issuer, "refused", ALL).get("/storage/api/v1/repo").then().statusCode(404);
    }
}
