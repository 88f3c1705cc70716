package dev.shoal.repo.compat.storage;

import static dev.shoal.repo.compat.storage.StorageApiTest.ALL;
import static dev.shoal.repo.compat.storage.StorageApiTest.as;
import static dev.shoal.repo.compat.storage.StorageApiTest.issuer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.compat.storage.service.StorageCredentials;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.Test;

/**
 * Upstream git credentials (SDK createGitCredential / updateGitCredential / deleteGitCredential):
 * one per repository, sealed at rest, reachable only by their issuer, and the JGit credentials
 * pull-upstream fetches with are built from the stored (decrypted) credential. No HTTP git server
 * with Basic auth is started: the fetch itself is JGit's (setCredentialsProvider).
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageCredentialsTest {

    private static final String API = "/storage/api/v1/repos/git-credentials";

    @Inject
    Pool pool;

    @Inject
    StorageCredentials credentials;

    private long repoId(String issuer, String repo) {
        return pool.preparedQuery("SELECT repo_id FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, repo)).await().indefinitely().iterator().next().getLong(0);
    }

    private static String[] login(UsernamePasswordCredentialsProvider p) {
        CredentialItem.Username user = new CredentialItem.Username();
        CredentialItem.Password pass = new CredentialItem.Password();
        assertThat(p.get(new URIish(), user, pass)).isTrue();
        return new String[] {user.getValue(), new String(pass.getValue())};
    }

    @Test
    void createUpdateDeleteWithSealedPasswordAndFetchCredentials() throws Exception {
        String issuer = issuer();
        StorageApiTest.create(issuer, "private-mirror");
        long repoId = repoId(issuer, "private-mirror");
        String id = as(issuer, "private-mirror", "repo:write").contentType("application/json")
                .body("{\"repo_id\":\"private-mirror\",\"password\":\"glpat-s3cret-token\"}")
                .post(API).then().statusCode(201).body("id", matchesPattern("gc_[0-9a-f]{32}")).body("created_at", notNullValue())
                .extract().path("id");
        // one per repository
        as(issuer, "private-mirror", "repo:write").contentType("application/json")
                .body("{\"repo_id\":\"private-mirror\",\"password\":\"other\"}")
                .post(API).then().statusCode(409).body("code", equalTo("conflict")).body("error", containsString("already has"));

        // sealed at rest: neither the password nor its bytes are in the row
        var row = pool.preparedQuery("SELECT username, nonce, ciphertext, t::text FROM storage_git_credential t WHERE id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next();
        assertThat(row.getString(0)).isNull();
        assertThat(row.getString(3)).doesNotContain("glpat-s3cret-token");
        assertThat(new String(row.getBuffer(2).getBytes(), StandardCharsets.ISO_8859_1)).doesNotContain("glpat");
        assertThat(row.getBuffer(1).length()).isEqualTo(12);

        // pull-upstream's JGit credentials come from the stored one (default username)
        assertThat(login(credentials.provider(repoId).await().indefinitely()))
                .containsExactly(StorageCredentials.DEFAULT_USERNAME, "glpat-s3cret-token");

        // org-wide token updates it; the username is kept when not given
        as(issuer, "org", "repo:write").contentType("application/json")
                .body("{\"id\":\"" + id + "\",\"username\":\"x-token-auth\",\"password\":\"rotated\"}")
                .put(API).then().statusCode(200).body("id", equalTo(id)).body("created_at", notNullValue());
        assertThat(login(credentials.provider(repoId).await().indefinitely())).containsExactly("x-token-auth", "rotated");

        // another issuer sees nothing
        String other = issuer();
        as(other, "org", "repo:write").contentType("application/json").body("{\"id\":\"" + id + "\",\"password\":\"x\"}")
                .put(API).then().statusCode(404).body("code", equalTo("not_found"));
        as(other, "org", "repo:write").contentType("application/json").body("{\"id\":\"" + id + "\"}")
                .delete(API).then().statusCode(404).body("code", equalTo("not_found"));
        assertThat(login(credentials.provider(repoId).await().indefinitely())).containsExactly("x-token-auth", "rotated");

        as(issuer, "org", "repo:write").contentType("application/json").body("{\"id\":\"" + id + "\"}")
                .delete(API).then().statusCode(204);
        assertThat(credentials.provider(repoId).await().indefinitely()).isNull();
        as(issuer, "org", "repo:write").contentType("application/json").body("{\"id\":\"" + id + "\"}")
                .delete(API).then().statusCode(404).body("error", containsString(id));
        as(issuer, "org", "repo:write").contentType("application/json").body("{\"id\":\"gc_nope\",\"password\":\"p\"}")
                .put(API).then().statusCode(404);
    }

    @Test
    void refusesBadInputOtherRepositoriesAndMissingScope() throws Exception {
        String issuer = issuer();
        StorageApiTest.create(issuer, "r1");
        as(issuer, "r1", "repo:write").contentType("application/json").body("{\"repo_id\":\"r2\",\"password\":\"p\"}")
                .post(API).then().statusCode(403).body("error", containsString("not the repository the token is for"));
        as(issuer, "r2", "repo:write").contentType("application/json").body("{\"repo_id\":\"r2\",\"password\":\"p\"}")
                .post(API).then().statusCode(404).body("code", equalTo("not_found"));
        as(issuer, "r1", "git:read git:write").contentType("application/json").body("{\"repo_id\":\"r1\",\"password\":\"p\"}")
                .post(API).then().statusCode(401);
        for (String bad : new String[] {"{\"repo_id\":\"r1\"}", "{\"repo_id\":\"r1\",\"password\":\"\"}",
                "{\"repo_id\":\"r1\",\"password\":\"a\\u0000b\"}", "{\"repo_id\":\"r1\",\"password\":\"p\",\"username\":\"a:b\"}",
                "{\"password\":\"p\"}", "{\"repo_id\":\"r1\",\"password\":1,\"x\":2}", "{\"repo_id\":\"r1\",\"password\":\"p\",\"ttl\":5}",
                "{not json", ""}) {
            as(issuer, "r1", "repo:write").contentType("application/json").body(bad).post(API).then().statusCode(400)
                    .body("code", equalTo("validation_failed")).body("error", notNullValue());
        }
        as(issuer, "org", "repo:write").contentType("application/json").body("{\"password\":\"p\"}").put(API).then().statusCode(400)
                .body("error", containsString("id is required"));
        as(issuer, "org", "repo:write").contentType("application/json").body("{}").delete(API).then().statusCode(400)
                .body("error", containsString("id is required"));
        long count = pool.preparedQuery("SELECT count(*) FROM storage_git_credential WHERE issuer = $1").execute(Tuple.of(issuer))
                .await().indefinitely().iterator().next().getLong(0);
        assertThat(count).isZero();
    }

    @Test
    void withoutAKeyTheEndpointsAnswer503NamingTheSetting() {
        StorageCredentials unkeyed = new StorageCredentials(pool, null, null, Optional::empty);
        assertThatThrownBy(() -> unkeyed.create(null, new StorageCredentials.CreateRequest("r", null, "p")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("shoal.repo.storage.credential-key").contains("SHOAL_REPO_STORAGE_CREDENTIAL_KEY");
                });
        assertThatThrownBy(() -> unkeyed.delete(null, new StorageCredentials.DeleteRequest("gc_x")))
                .isInstanceOf(ApiException.class);
    }
}
