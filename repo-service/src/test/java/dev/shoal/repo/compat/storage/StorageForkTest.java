package dev.shoal.repo.compat.storage;

import static dev.shoal.repo.compat.storage.StorageApiTest.ALL;
import static dev.shoal.repo.compat.storage.StorageApiTest.as;
import static dev.shoal.repo.compat.storage.StorageApiTest.b64;
import static dev.shoal.repo.compat.storage.StorageApiTest.chunk;
import static dev.shoal.repo.compat.storage.StorageApiTest.commitPack;
import static dev.shoal.repo.compat.storage.StorageApiTest.create;
import static dev.shoal.repo.compat.storage.StorageApiTest.issuer;
import static dev.shoal.repo.compat.storage.StorageApiTest.meta;
import static dev.shoal.repo.compat.storage.StorageApiTest.ndjson;
import static dev.shoal.repo.compat.storage.StorageApiTest.upsert;
import static dev.shoal.repo.compat.storage.StorageUpstreamTest.await;
import static dev.shoal.repo.compat.storage.StorageUpstreamTest.branchHead;
import static dev.shoal.repo.compat.storage.StorageUpstreamTest.headIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.compat.storage.client.StorageTokenCheck;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import dev.shoal.repo.support.StorageTokenDouble;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * SDK forks ({@code base_repo: {provider: "code", operation: "fork", auth: {token}}}): the base's
 * token is checked (through the gateway's verify endpoint, here its double: only the tokens a test
 * registers verify), the fork gets the base's refs and objects in its own store through the
 * journal, reports its parent in {@code GET /repo}, pulls from the parent; every refusal leaves no
 * repository behind.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageForkTest {

    private static final String API = "/storage/api/v1/repos";

    @Inject
    Pool pool;

    @Inject
    StorageTokenDouble tokens;

    /** A token the gateway would verify to these claims. */
    String token(String issuer, String repo, String... scopes) {
        String token = "jwt-" + UUID.randomUUID();
        tokens.accept(token, new StorageTokenCheck.Verified(issuer, repo, Set.of(scopes)));
        return token;
    }

    static String fork(String owner, String base, String token, String ref, String sha) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("provider", "code");
        b.put("owner", owner);
        b.put("name", base);
        b.put("operation", "fork");
        b.put("auth", Map.of("token", token));
        if (ref != null) {
            b.put("ref", ref);
        }
        if (sha != null) {
            b.put("sha", sha);
        }
        return new JsonObject().put("base_repo", b).encode();
    }

    String file(String issuer, String repo, String ref, String path) throws Exception {
        return new String(as(issuer, repo, ALL).queryParam("path", path).queryParam("ref", ref).get(API + "/file").then().statusCode(200)
                .extract().asByteArray(), StandardCharsets.UTF_8);
    }

    long repoId(String issuer, String repo) {
        return pool.preparedQuery("SELECT repo_id FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, repo)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void forksCopyRefsAndObjectsAndReportTheirParent() throws Exception {
        String issuer = issuer();
        String base = create(issuer, "team/base");
        String m1 = commitPack(issuer, base, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("one\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        Map<String, Object> feature = meta("feature", null, List.of(upsert("f.txt", "f")));
        feature.put("base_branch", "main");
        String f1 = commitPack(issuer, base, ndjson(feature, chunk("f", b64("f1\n"), true))).then().statusCode(201)
                .extract().path("result.new_sha");
        String f2 = commitPack(issuer, base, ndjson(meta("feature", f1, List.of(upsert("f.txt", "f"))), chunk("f", b64("f2\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        as(issuer, base, ALL).contentType("application/json").body("{\"name\":\"v1\",\"target\":\"main\"}").post(API + "/tags")
                .then().statusCode(200);

        // the SDK's createRepo({baseRepo: {id}}): no default_branch, the base's token with git:read
        as(issuer, "team/fork", "repo:write").contentType("application/json").body(fork(issuer, base, token(issuer, base, "git:read"), null, null))
                .post(API).then().statusCode(201).body("id", equalTo("team/fork"));
        as(issuer, "team/fork", "git:read").get("/storage/api/v1/repo").then().statusCode(200)
                .body("default_branch", equalTo("main"))
                .body("base_repo.provider", equalTo("code"))
                .body("base_repo.owner", equalTo(issuer))
                .body("base_repo.name", equalTo(base));
        assertThat(branchHead(issuer, "team/fork", "main")).isEqualTo(m1);
        assertThat(branchHead(issuer, "team/fork", "feature")).isEqualTo(f2);
        as(issuer, "team/fork", ALL).get(API + "/tags").then().body("tags.name", equalTo(List.of("v1"))).body("tags[0].sha", equalTo(m1));
        assertThat(file(issuer, "team/fork", "feature", "f.txt")).isEqualTo("f2\n");
        // its own copy: the fork moves without the base, and the other way round
        String forkMain = commitPack(issuer, "team/fork", ndjson(meta("main", m1, List.of(upsert("b.txt", "b"))), chunk("b", b64("b"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        assertThat(branchHead(issuer, base, "main")).isEqualTo(m1);
        // the copy went through the journal: one repo.pushed per ref, pusher = the issuer
        List<JsonObject> pushed = Outbox.events(pool, repoId(issuer, "team/fork"), "repo.pushed");
        assertThat(pushed.stream().map(e -> e.getJsonObject("data").getString("ref")).toList())
                .contains("refs/heads/main", "refs/heads/feature", "refs/tags/v1");
        assertThat(pushed.get(0).getJsonObject("data").getJsonObject("pusher").getString("login")).isEqualTo(issuer);

        // ref + sha: only that branch, at that commit, and it is the default branch
        as(issuer, "team/pinned", "repo:write").contentType("application/json")
                .body(fork(issuer, base, token(issuer, base, "git:read", "git:write"), "feature", f1)).post(API).then().statusCode(201);
        as(issuer, "team/pinned", ALL).get(API + "/branches").then().statusCode(200)
                .body("branches.name", equalTo(List.of("feature"))).body("branches[0].head_sha", equalTo(f1));
        as(issuer, "team/pinned", ALL).get(API + "/tags").then().body("tags", equalTo(List.of()));
        as(issuer, "team/pinned", "git:read").get("/storage/api/v1/repo").then().body("default_branch", equalTo("feature"));
        assertThat(file(issuer, "team/pinned", "feature", "f.txt")).isEqualTo("f1\n");

        // pull-upstream on a fork fetches from its parent (the base's branches win, local-only ones stay)
        String m2 = commitPack(issuer, base, ndjson(meta("main", m1, List.of(upsert("a.txt", "a"))), chunk("a", b64("two\n"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        as(issuer, "team/pinned", ALL).contentType("application/json").body("{\"ref\":\"main\"}").post(API + "/pull-upstream")
                .then().statusCode(202);
        await("main pulled from the parent", headIs(issuer, "team/pinned", "main", m2));
        assertThat(branchHead(issuer, "team/pinned", "feature")).isEqualTo(f1);
        as(issuer, "team/fork", ALL).post(API + "/pull-upstream").then().statusCode(202);
        await("the fork's main rewritten to the parent's", headIs(issuer, "team/fork", "main", m2));
        assertThat(forkMain).isNotEqualTo(m2);

        // a parent that is gone: the sync fails with the reason recorded
        as(issuer, base, ALL).delete(API + "/delete").then().statusCode(200);
        as(issuer, "team/fork", ALL).post(API + "/pull-upstream").then().statusCode(202);
        await("the failure recorded", () -> {
            String error = pool.preparedQuery("SELECT upstream_error FROM storage_repository WHERE repo_id = $1")
                    .execute(Tuple.of(repoId(issuer, "team/fork"))).await().indefinitely().iterator().next().getString(0);
            return error != null && error.contains("no longer exists");
        });
    }

    @Test
    void refusedForksCreateNothing() throws Exception {
        String issuer = issuer();
        String other = issuer();
        String base = create(issuer, "base");
        String m1 = commitPack(issuer, base, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a"), true)))
                .then().statusCode(201).extract().path("result.new_sha");
        create(issuer, "elsewhere");
        record Case(String body, int status, String message) {
        }
        List<Case> cases = List.of(
                new Case(fork(issuer, base, token(issuer, "elsewhere", "git:read"), null, null), 403, "is for repository 'elsewhere'"),
                new Case(fork(issuer, base, token(other, base, "git:read"), null, null), 403, "signed by another organization"),
                new Case(fork(issuer, base, token(issuer, base, "git:write"), null, null), 403, "needs the 'git:read' scope"),
                new Case(fork(issuer, base, "not-a-registered-token", null, null), 403, "base_repo.auth.token was refused"),
                new Case(fork(other, base, token(issuer, base, "git:read"), null, null), 403, "within one organization"),
                new Case(fork(issuer, "missing", token(issuer, "missing", "git:read"), null, null), 404, "base repository 'missing' not found"),
                new Case(fork(issuer, base, token(issuer, base, "git:read"), "nope", null), 404, "has no branch 'nope'"),
                new Case(fork(issuer, base, token(issuer, base, "git:read"), null, "c".repeat(40)), 404, "has no commit"),
                new Case(fork(issuer, base, token(issuer, base, "git:read"), null, "abc"), 400, "base_repo.sha"),
                new Case(fork(issuer, base, token(issuer, base, "git:read"), "a..b", null), 400, "base_repo.ref"),
                new Case(fork(issuer, "the-fork", token(issuer, "the-fork", "git:read"), null, null), 400, "fork of itself"),
                new Case("{\"base_repo\":{\"provider\":\"code\",\"owner\":\"" + issuer + "\",\"name\":\"base\",\"operation\":\"fork\"}}", 400,
                        "base_repo.auth.token is required"),
                new Case("{\"base_repo\":{\"provider\":\"code\",\"name\":\"base\",\"operation\":\"fork\",\"auth\":{\"token\":1}}}", 400,
                        "base_repo.auth.token is required"),
                new Case("{\"base_repo\":{\"provider\":\"code\",\"operation\":\"fork\",\"auth\":{\"token\":\"x\"}}}", 400,
                        "base_repo.name is required"),
                new Case("{\"base_repo\":{\"provider\":\"code\",\"name\":\"base\",\"operation\":\"merge\",\"auth\":{\"token\":\"x\"}}}", 400,
                        "operation must be 'fork'"));
        for (Case c : cases) {
            as(issuer, "the-fork", "repo:write").contentType("application/json").body(c.body()).post(API).then()
                    .statusCode(c.status()).body("error", containsString(c.message()));
            as(issuer, "the-fork", "git:read").get("/storage/api/v1/repo").then().statusCode(404);
        }
        long rows = pool.preparedQuery("SELECT count(*) FROM storage_repository WHERE issuer = $1").execute(Tuple.of(issuer))
                .await().indefinitely().iterator().next().getLong(0);
        assertThat(rows).isEqualTo(2);
        // a sha that is not on the chosen branch
        Map<String, Object> side = meta("side", null, List.of(upsert("s.txt", "s")));
        side.put("base_branch", "main");
        String s1 = commitPack(issuer, base, ndjson(side, chunk("s", b64("s"), true))).then().statusCode(201).extract().path("result.new_sha");
        as(issuer, "the-fork", "repo:write").contentType("application/json").body(fork(issuer, base, token(issuer, base, "git:read"), "main", s1))
                .post(API).then().statusCode(400).body("error", containsString("is not on the base's branch 'main'"));
        // an existing target: 409 before the token is even checked
        as(issuer, "elsewhere", "repo:write").contentType("application/json").body(fork(issuer, base, "unregistered", null, null))
                .post(API).then().statusCode(409);
        assertThat(branchHead(issuer, base, "main")).isEqualTo(m1);
    }
}
