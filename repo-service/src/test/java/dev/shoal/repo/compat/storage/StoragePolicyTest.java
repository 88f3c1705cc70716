package dev.shoal.repo.compat.storage;

import static dev.shoal.repo.compat.storage.StorageApiTest.ALL;
import static dev.shoal.repo.compat.storage.StorageApiTest.as;
import static dev.shoal.repo.compat.storage.StorageApiTest.b64;
import static dev.shoal.repo.compat.storage.StorageApiTest.chunk;
import static dev.shoal.repo.compat.storage.StorageApiTest.commitPack;
import static dev.shoal.repo.compat.storage.StorageApiTest.create;
import static dev.shoal.repo.compat.storage.StorageApiTest.diffChunk;
import static dev.shoal.repo.compat.storage.StorageApiTest.issuer;
import static dev.shoal.repo.compat.storage.StorageApiTest.meta;
import static dev.shoal.repo.compat.storage.StorageApiTest.ndjson;
import static dev.shoal.repo.compat.storage.StorageApiTest.upsert;
import static dev.shoal.repo.compat.storage.StorageUpstreamTest.await;
import static dev.shoal.repo.compat.storage.StorageUpstreamTest.branchHead;
import static dev.shoal.repo.compat.storage.StorageUpstreamTest.headIs;
import static dev.shoal.repo.compat.storage.StorageUpstreamTest.upstream;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;

/**
 * Per-ref policies of Code Storage JWTs (the {@code refs} claim, carried by the gateway in the
 * internal JWT): refused REST writes are 403 naming the ref and the rule and move nothing, refused
 * pushes are reported per ref by git, and allowed refs next to refused ones still move.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StoragePolicyTest {

    private static final String API = "/storage/api/v1/repos";

    @Inject
    Pool pool;

    /** The internal JWT the gateway forwards for a storage token with these (normalized) rules. */
    static String tokenWithRefs(String issuer, List<List<Object>> refs) throws Exception {
        String pem = Files.readString(InternalKeys.shared().privatePem("api-gateway"))
                .replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        return Jwt.issuer("api-gateway").audience("repo-service").subject("storage").claim("kind", "storage").claim("login", issuer).claim("site_admin", false)
                .claim("scopes", List.of()).claim("role", "none").claim("org_id", -7L).claim("refs", refs)
                .expiresIn(600).jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.ES256).sign(key);
    }

    static RequestSpecification with(String issuer, String repo, List<List<Object>> refs) throws Exception {
        return given().config(io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/x-ndjson", io.restassured.http.ContentType.TEXT)))
                .auth().oauth2(tokenWithRefs(issuer, refs))
                .header("X-Shoal-Storage-Issuer", issuer)
                .header("X-Shoal-Storage-Repo", repo)
                .header("X-Shoal-Storage-Scopes", ALL);
    }

    static List<Object> rule(String pattern, String... ops) {
        return List.of(pattern, List.of(ops));
    }

    static String head(String issuer, String repo, String branch) throws Exception {
        return branchHead(issuer, repo, branch);
    }

    @Test
    void commitPackAndDiffCommitRefuseProtectedRefsAndLeaveThemUntouched() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "policy/rest");
        String c1 = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("one\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        List<List<Object>> refs = List.of(rule("refs/heads/main", "no-push"));

        with(issuer, repo, refs).contentType("application/x-ndjson")
                .body(ndjson(meta("main", c1, List.of(upsert("b.txt", "b"))), chunk("b", b64("b"), true))).post(API + "/commit-pack")
                .then().statusCode(403).body("code", equalTo("forbidden"))
                .body("error", containsString("refs/heads/main"))
                .body("error", containsString("no-push"));
        assertThat(head(issuer, repo, "main")).isEqualTo(c1);

        // the same token writes another branch
        Map<String, Object> feature = meta("feature", null, List.of(upsert("b.txt", "b")));
        feature.put("base_branch", "main");
        String f1 = with(issuer, repo, refs).contentType("application/x-ndjson").body(ndjson(feature, chunk("b", b64("b"), true)))
                .post(API + "/commit-pack").then().statusCode(201).extract().path("result.new_sha");
        assertThat(head(issuer, repo, "feature")).isEqualTo(f1);

        String patch = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+ONE\n";
        Map<String, Object> m = meta("main", c1, List.of());
        m.remove("files");
        with(issuer, repo, refs).contentType("application/x-ndjson").body(ndjson(m, diffChunk(patch, true))).post(API + "/diff-commit")
                .then().statusCode(403).body("error", containsString("refs/heads/main"));
        assertThat(head(issuer, repo, "main")).isEqualTo(c1);
        // no policy on the ordinary token: the same patch applies
        as(issuer, repo, ALL).contentType("application/x-ndjson").body(ndjson(m, diffChunk(patch, true))).post(API + "/diff-commit")
                .then().statusCode(201).body("result.success", equalTo(true));
    }

    @Test
    void branchAndTagCallsFollowRulesInOrder() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "policy/refs");
        String c1 = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        // first match wins: release/* is explicitly allowed, everything else is read-only except deletions... of nothing
        List<List<Object>> refs = List.of(rule("refs/heads/release/*"), rule("refs/tags/*", "no-force-push"),
                rule("keep", "no-force-push"), rule("*", "no-push"));
        with(issuer, repo, refs).contentType("application/json").body("{\"target_branch\":\"release/1.0\",\"base_branch\":\"main\"}")
                .post(API + "/branches/create").then().statusCode(200).body("commit_sha", equalTo(c1));
        with(issuer, repo, refs).contentType("application/json").body("{\"target_branch\":\"topic\",\"base_branch\":\"main\"}")
                .post(API + "/branches/create").then().statusCode(403)
                .body("error", containsString("refs/heads/topic"))
                .body("error", containsString("['*', [no-push]]"));
        assertThat(head(issuer, repo, "topic")).isNull();

        // no-force-push: creating is fine, deleting is not
        with(issuer, repo, refs).contentType("application/json").body("{\"target_branch\":\"keep\",\"base_branch\":\"main\"}")
                .post(API + "/branches/create").then().statusCode(200);
        with(issuer, repo, refs).contentType("application/json").body("{\"name\":\"keep\"}").delete(API + "/branches")
                .then().statusCode(403).body("error", containsString("may not be deleted"))
                .body("error", containsString("no-force-push"));
        assertThat(head(issuer, repo, "keep")).isEqualTo(c1);
        with(issuer, repo, refs).contentType("application/json").body("{\"name\":\"release/1.0\"}").delete(API + "/branches")
                .then().statusCode(200);

        with(issuer, repo, refs).contentType("application/json").body("{\"name\":\"v1\",\"target\":\"main\"}").post(API + "/tags")
                .then().statusCode(200);
        with(issuer, repo, refs).contentType("application/json").body("{\"name\":\"v1\"}").delete(API + "/tags")
                .then().statusCode(403).body("error", containsString("refs/tags/v1"));
        as(issuer, repo, ALL).get(API + "/tags").then().body("tags.name", equalTo(List.of("v1")));

        // verify-sig fails closed: no signing-key registry
        with(issuer, repo, List.of(rule("main", "verify-sig"))).contentType("application/x-ndjson")
                .body(ndjson(meta("main", c1, List.of(upsert("b.txt", "b"))), chunk("b", b64("b"), true))).post(API + "/commit-pack")
                .then().statusCode(403).body("error", containsString("verify-sig"))
                .body("error", containsString("signing-key registry"));
        assertThat(head(issuer, repo, "main")).isEqualTo(c1);
    }

    @Test
    void pullUpstreamSyncsAllowedBranchesOnly() throws Exception {
        String owner = "octo-pol-" + System.nanoTime() % 100000;
        Repository up = upstream(owner, "policy");
        String m1 = StorageUpstreamTest.commit(up, "main", "README.md", "hello\n");
        String issuer = issuer();
        String repo = "mirrors/policy";
        as(issuer, repo, ALL).contentType("application/json")
                .body("{\"base_repo\":{\"provider\":\"github\",\"owner\":\"" + owner + "\",\"name\":\"policy\"}}")
                .post(API).then().statusCode(201);
        await("the initial sync", headIs(issuer, repo, "main", m1));
        StorageUpstreamTest.commit(up, "main", "README.md", "changed\n");
        String f1 = StorageUpstreamTest.commit(up, "feature", "f.txt", "f\n");
        with(issuer, repo, List.of(rule("main", "no-push"))).post(API + "/pull-upstream").then().statusCode(202);
        await("feature synced", headIs(issuer, repo, "feature", f1));
        await("the outcome recorded", () -> error(issuer, repo) != null);
        assertThat(head(issuer, repo, "main")).isEqualTo(m1);
        assertThat(error(issuer, repo)).contains("refs/heads/main").contains("no-push");
        up.close();
    }

    private String error(String issuer, String repo) {
        return pool.preparedQuery("SELECT upstream_error FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, repo)).await().indefinitely().iterator().next().getString(0);
    }

    @Test
    void gitPushRejectsProtectedRefsPerRef() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "pushpolicy");
        String c1 = commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        Path work = Files.createTempDirectory("policy-push");
        String url = "http://localhost:" + io.restassured.RestAssured.port + "/storage/" + repo + ".git";
        List<List<Object>> refs = List.of(rule("main", "no-push"), rule("refs/heads/guarded", "no-force-push"));
        assertThat(git(work, issuer, repo, refs, "clone", url, "c").exit()).isZero();
        Path clone = work.resolve("c");
        Files.writeString(clone.resolve("a.txt"), "changed\n");
        git(clone, issuer, repo, refs, "commit", "-am", "change");
        StorageApiTest.GitResult pushed = git(clone, issuer, repo, refs, "push", "origin", "HEAD:refs/heads/main", "HEAD:refs/heads/side",
                "HEAD:refs/heads/guarded");
        assertThat(pushed.exit()).isNotZero();
        assertThat(pushed.out()).contains("! [remote rejected] HEAD -> main (refs/heads/main may not be updated")
                .contains("no-push");
        String local = git(clone, issuer, repo, refs, "rev-parse", "HEAD").out().strip();
        assertThat(head(issuer, repo, "main")).isEqualTo(c1);
        assertThat(head(issuer, repo, "side")).isEqualTo(local);
        assertThat(head(issuer, repo, "guarded")).isEqualTo(local);

        // no-force-push: a rewrite of guarded is refused, a fast-forward is not
        git(clone, issuer, repo, refs, "commit", "--amend", "-m", "rewritten");
        StorageApiTest.GitResult forced = git(clone, issuer, repo, refs, "push", "--force", "origin", "HEAD:refs/heads/guarded");
        assertThat(forced.exit()).isNotZero();
        assertThat(forced.out()).contains("remote rejected").contains("no-force-push");
        assertThat(head(issuer, repo, "guarded")).isEqualTo(local);
        Files.writeString(clone.resolve("b.txt"), "b\n");
        git(clone, issuer, repo, refs, "add", "b.txt");
        git(clone, issuer, repo, refs, "commit", "-m", "more");
        StorageApiTest.GitResult ff = git(clone, issuer, repo, refs, "push", "--force", "origin", "HEAD:refs/heads/side");
        assertThat(ff.exit()).as(ff.out()).isZero();

        // the ephemeral remote: rules see the stored (namespaced) ref name
        List<List<Object>> eph = List.of(rule("refs/namespaces/ephemeral/refs/heads/*", "no-push"));
        StorageApiTest.GitResult ephemeral = git(clone, issuer, repo, eph, "push", url.replace(".git", "+ephemeral.git"), "HEAD:refs/heads/draft");
        assertThat(ephemeral.exit()).isNotZero();
        assertThat(ephemeral.out()).contains("remote rejected").contains("refs/namespaces/ephemeral/refs/heads/draft");
        with(issuer, repo, eph).queryParam("ephemeral", "true").get(API + "/branches").then().statusCode(200)
                .body("branches.size()", equalTo(0));
    }

    static StorageApiTest.GitResult git(Path dir, String issuer, String repo, List<List<Object>> refs, String... args)
            throws Exception {
        return StorageApiTest.gitWithJwt(dir, tokenWithRefs(issuer, refs), issuer, repo, ALL, args);
    }
}
