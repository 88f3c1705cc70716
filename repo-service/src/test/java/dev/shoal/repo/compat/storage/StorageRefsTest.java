package dev.shoal.repo.compat.storage;

import static dev.shoal.repo.compat.storage.StorageApiTest.ALL;
import static dev.shoal.repo.compat.storage.StorageApiTest.as;
import static dev.shoal.repo.compat.storage.StorageApiTest.b64;
import static dev.shoal.repo.compat.storage.StorageApiTest.chunk;
import static dev.shoal.repo.compat.storage.StorageApiTest.commitPack;
import static dev.shoal.repo.compat.storage.StorageApiTest.create;
import static dev.shoal.repo.compat.storage.StorageApiTest.head;
import static dev.shoal.repo.compat.storage.StorageApiTest.issuer;
import static dev.shoal.repo.compat.storage.StorageApiTest.meta;
import static dev.shoal.repo.compat.storage.StorageApiTest.ndjson;
import static dev.shoal.repo.compat.storage.StorageApiTest.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SDK's ref calls beyond the seed: branches create/delete, tags, single commit. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class StorageRefsTest {

    private static final String API = "/storage/api/v1/repos";

    @Inject
    Pool pool;

    long repoId(String issuer, String repo) {
        return pool.preparedQuery("SELECT repo_id FROM storage_repository WHERE issuer = $1 AND storage_id = $2")
                .execute(Tuple.of(issuer, repo)).await().indefinitely().iterator().next().getLong(0);
    }

    static String json(String issuer, String repo, String method, String path, String body, int status) throws Exception {
        var spec = as(issuer, repo, ALL).contentType("application/json").body(body);
        var response = method.equals("POST") ? spec.post(API + path) : spec.delete(API + path);
        response.then().statusCode(status);
        return response.asString();
    }

    @Test
    void branchesAreCreatedFromBranchesOrCommitsAndDeletedThroughTheJournal() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/refs");
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a"), true))).then().statusCode(201);
        String c1 = head(issuer, repo, "main");

        as(issuer, repo, ALL).contentType("application/json").body("{\"target_branch\":\"feature/x\",\"base_branch\":\"main\"}")
                .post(API + "/branches/create").then().statusCode(200)
                .body("message", containsString("created")).body("target_branch", equalTo("feature/x"))
                .body("target_is_ephemeral", equalTo(false)).body("commit_sha", equalTo(c1));
        assertThat(head(issuer, repo, "feature/x")).isEqualTo(c1);
        // from a SHA into the ephemeral namespace
        as(issuer, repo, ALL).contentType("application/json")
                .body("{\"target_branch\":\"scratch\",\"base_ref\":\"" + c1 + "\",\"target_is_ephemeral\":true}")
                .post(API + "/branches/create").then().statusCode(200).body("target_is_ephemeral", equalTo(true));
        as(issuer, repo, ALL).queryParam("ephemeral", "true").get(API + "/branches").then().statusCode(200)
                .body("branches.name", equalTo(List.of("scratch")));
        as(issuer, repo, ALL).get(API + "/branches").then().statusCode(200).body("branches.name", not(hasItem("scratch")));

        // refusals: exists, unknown base, both or neither base, bad names, no body, wrong scope
        json(issuer, repo, "POST", "/branches/create", "{\"target_branch\":\"feature/x\",\"base_branch\":\"main\"}", 409);
        json(issuer, repo, "POST", "/branches/create", "{\"target_branch\":\"y\",\"base_branch\":\"nope\"}", 404);
        json(issuer, repo, "POST", "/branches/create", "{\"target_branch\":\"y\",\"base_ref\":\"" + "b".repeat(40) + "\"}", 404);
        json(issuer, repo, "POST", "/branches/create", "{\"target_branch\":\"y\",\"base_ref\":\"main~1\"}", 400);
        json(issuer, repo, "POST", "/branches/create", "{\"target_branch\":\"y\",\"base_ref\":\"main\",\"base_branch\":\"main\"}", 400);
        json(issuer, repo, "POST", "/branches/create", "{\"target_branch\":\"y\"}", 400);
        assertThat(json(issuer, repo, "POST", "/branches/create", "{\"target_branch\":\"../y\",\"base_branch\":\"main\"}", 400))
                .contains("target_branch");
        json(issuer, repo, "POST", "/branches/create", "{\"target_branch\":\"y\",\"base_branch\":\"main\",\"extra\":1}", 400);
        json(issuer, repo, "POST", "/branches/create", "{\"target_branch\":", 400);
        json(issuer, repo, "POST", "/branches/create", "", 400);
        as(issuer, repo, "git:read").contentType("application/json").body("{\"target_branch\":\"y\",\"base_branch\":\"main\"}")
                .post(API + "/branches/create").then().statusCode(401);

        // delete
        as(issuer, repo, ALL).contentType("application/json").body("{\"name\":\"feature/x\"}").delete(API + "/branches")
                .then().statusCode(200).body("name", equalTo("feature/x")).body("ephemeral", equalTo(false))
                .body("message", containsString("deleted"));
        as(issuer, repo, ALL).queryParam("branch", "feature/x").get(API + "/commits").then().statusCode(404);
        json(issuer, repo, "DELETE", "/branches", "{\"name\":\"feature/x\"}", 404);
        json(issuer, repo, "DELETE", "/branches", "{\"name\":\"main\"}", 409);
        json(issuer, repo, "DELETE", "/branches", "{\"name\":\"a..b\"}", 400);
        as(issuer, repo, ALL).contentType("application/json").body("{\"name\":\"scratch\",\"ephemeral\":true}").delete(API + "/branches")
                .then().statusCode(200).body("ephemeral", equalTo(true));

        List<JsonObject> pushed = Outbox.events(pool, repoId(issuer, repo), "repo.pushed");
        assertThat(pushed.stream().map(e -> e.getJsonObject("data")).map(d -> d.getString("ref") + " " + d.getString("before").substring(0, 4)
                + ">" + d.getString("after").substring(0, 4)))
                .containsExactly("refs/heads/main 0000>" + c1.substring(0, 4), "refs/heads/feature/x 0000>" + c1.substring(0, 4),
                        "refs/namespaces/ephemeral/refs/heads/scratch 0000>" + c1.substring(0, 4),
                        "refs/heads/feature/x " + c1.substring(0, 4) + ">0000",
                        "refs/namespaces/ephemeral/refs/heads/scratch " + c1.substring(0, 4) + ">0000");
    }

    @Test
    void tagsAndSingleCommits() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/tags");
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"))), chunk("a", b64("a"), true))).then().statusCode(201);
        String c1 = head(issuer, repo, "main");
        commitPack(issuer, repo, ndjson(meta("main", c1, List.of(upsert("b.txt", "b"))), chunk("b", b64("b"), true))).then().statusCode(201);
        String c2 = head(issuer, repo, "main");

        as(issuer, repo, ALL).get(API + "/tags").then().statusCode(200).body("tags", equalTo(List.of())).body("has_more", equalTo(false))
                .body("$", not(org.hamcrest.Matchers.hasKey("next_cursor")));
        as(issuer, repo, ALL).contentType("application/json").body("{\"name\":\"v1.0.0\",\"target\":\"" + c1 + "\"}").post(API + "/tags")
                .then().statusCode(200).body("name", equalTo("v1.0.0")).body("sha", equalTo(c1)).body("message", containsString("created"));
        json(issuer, repo, "POST", "/tags", "{\"name\":\"v2.0.0\",\"target\":\"main\"}", 200);
        json(issuer, repo, "POST", "/tags", "{\"name\":\"v3\",\"target\":\"v1.0.0\"}", 200);
        json(issuer, repo, "POST", "/tags", "{\"name\":\"v1.0.0\",\"target\":\"main\"}", 409);
        json(issuer, repo, "POST", "/tags", "{\"name\":\"refs/tags/x\",\"target\":\"main\"}", 400);
        json(issuer, repo, "POST", "/tags", "{\"name\":\"../x\",\"target\":\"main\"}", 400);
        json(issuer, repo, "POST", "/tags", "{\"name\":\"x\"}", 400);
        json(issuer, repo, "POST", "/tags", "{\"name\":\"x\",\"target\":\"nope\"}", 404);

        // pages of two, by name
        var first = as(issuer, repo, ALL).queryParam("limit", "2").get(API + "/tags");
        first.then().statusCode(200).body("tags.name", equalTo(List.of("v1.0.0", "v2.0.0"))).body("tags[0].sha", equalTo(c1))
                .body("tags[1].sha", equalTo(c2)).body("has_more", equalTo(true));
        String cursor = first.path("next_cursor");
        as(issuer, repo, ALL).queryParam("limit", "2").queryParam("cursor", cursor).get(API + "/tags").then().statusCode(200)
                .body("tags.name", equalTo(List.of("v3"))).body("has_more", equalTo(false));
        as(issuer, repo, ALL).queryParam("cursor", "zzz").get(API + "/tags").then().statusCode(400);
        as(issuer, repo, ALL).queryParam("limit", "0").get(API + "/tags").then().statusCode(400);

        json(issuer, repo, "DELETE", "/tags", "{\"name\":\"v3\"}", 200);
        json(issuer, repo, "DELETE", "/tags", "{\"name\":\"v3\"}", 404);
        as(issuer, repo, ALL).get(API + "/tags").then().statusCode(200).body("tags.name", equalTo(List.of("v1.0.0", "v2.0.0")));
        assertThat(Outbox.events(pool, repoId(issuer, repo), "tag.created")).hasSize(3);

        // one commit
        as(issuer, repo, ALL).queryParam("sha", c2).get(API + "/commit").then().statusCode(200)
                .body("commit.sha", equalTo(c2)).body("commit.parent_shas", equalTo(List.of(c1)))
                .body("commit.message", equalTo("change main")).body("commit.author_name", equalTo("Docs Bot"))
                .body("commit.author_email", equalTo("docs@example.com")).body("commit.date", equalTo("2024-01-15T10:30:00Z"))
                .body("commit", not(org.hamcrest.Matchers.hasKey("signature")));
        as(issuer, repo, ALL).queryParam("sha", "c".repeat(40)).get(API + "/commit").then().statusCode(404);
        as(issuer, repo, ALL).queryParam("sha", "main").get(API + "/commit").then().statusCode(400);
        as(issuer, repo, ALL).get(API + "/commit").then().statusCode(400).body("error", containsString("sha"));
    }

    @Test
    void fileMetadataNamesEachEntrysLastCommit() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/meta");
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("a.txt", "a"), upsert("docs/x.md", "x"),
                        java.util.Map.of("path", "bin/tool", "content_id", "t", "mode", "100755"))),
                chunk("a", b64("abc"), true), chunk("x", b64("x"), true), chunk("t", b64("tool"), true))).then().statusCode(201);
        String c1 = head(issuer, repo, "main");
        commitPack(issuer, repo, ndjson(meta("main", c1, List.of(upsert("docs/x.md", "x"))), chunk("x", b64("x2\n"), true)))
                .then().statusCode(201);
        String c2 = head(issuer, repo, "main");
        String m = API + "/files/metadata";

        as(issuer, repo, ALL).get(m).then().statusCode(200)
                .body("ref", equalTo("main"))
                .body("files.path", equalTo(List.of("a.txt", "bin/tool", "docs/x.md")))
                .body("files.mode", equalTo(List.of("100644", "100755", "100644")))
                .body("files.size", equalTo(List.of(3, 4, 3)))
                .body("files.type", equalTo(List.of("blob", "blob", "blob")))
                .body("files.last_commit_sha", equalTo(List.of(c1, c1, c2)))
                .body("commits." + c2 + ".author", equalTo("Docs Bot"))
                .body("commits." + c2 + ".date", equalTo("2024-01-15T10:30:00Z"))
                .body("commits." + c1 + ".message", equalTo("change main"))
                .body("has_more", equalTo(false));
        as(issuer, repo, ALL).queryParam("recursive", "false").get(m).then().statusCode(200)
                .body("files.path", equalTo(List.of("a.txt", "bin", "docs")))
                .body("files.type", equalTo(List.of("blob", "tree", "tree")))
                .body("files.last_commit_sha", equalTo(List.of(c1, c1, c2)));
        as(issuer, repo, ALL).queryParam("path", "docs").get(m).then().statusCode(200).body("files.path", equalTo(List.of("docs/x.md")));
        as(issuer, repo, ALL).queryParam("ref", c1).queryParam("path", "docs").get(m).then().statusCode(200)
                .body("files.last_commit_sha", equalTo(List.of(c1))).body("files.size", equalTo(List.of(1)));
        var first = as(issuer, repo, ALL).queryParam("limit", "2").get(m);
        first.then().statusCode(200).body("files.path", equalTo(List.of("a.txt", "bin/tool"))).body("has_more", equalTo(true));
        as(issuer, repo, ALL).queryParam("limit", "2").queryParam("cursor", (String) first.path("next_cursor")).get(m).then().statusCode(200)
                .body("files.path", equalTo(List.of("docs/x.md"))).body("has_more", equalTo(false))
                .body("commits", equalTo(java.util.Map.of(c2, java.util.Map.of("author", "Docs Bot", "date", "2024-01-15T10:30:00Z",
                        "message", "change main"))));
        as(issuer, repo, ALL).queryParam("path", "../etc").get(m).then().statusCode(400);
        as(issuer, repo, ALL).queryParam("path", "/etc").get(m).then().statusCode(400);
        as(issuer, repo, ALL).queryParam("path", "nope").get(m).then().statusCode(404);
        as(issuer, repo, ALL).queryParam("path", "a.txt").get(m).then().statusCode(400).body("error", containsString("not a directory"));
        as(issuer, repo, ALL).queryParam("recursive", "maybe").get(m).then().statusCode(400);
        as(issuer, repo, ALL).queryParam("ref", "nope").get(m).then().statusCode(404);
    }

    @Test
    void blameNamesTheCommitOfEachLine() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/blame");
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("docs/f.txt", "f"))), chunk("f", b64("one\ntwo\nthree\n"), true)))
                .then().statusCode(201);
        String c1 = head(issuer, repo, "main");
        commitPack(issuer, repo, ndjson(meta("main", c1, List.of(upsert("docs/f.txt", "f"))), chunk("f", b64("zero\none\nTWO\nthree\n"), true)))
                .then().statusCode(201);
        String c2 = head(issuer, repo, "main");
        String b = API + "/blame";
        as(issuer, repo, ALL).queryParam("path", "docs/f.txt").get(b).then().statusCode(200)
                .body("ref", equalTo("main")).body("path", equalTo("docs/f.txt")).body("commit_sha", equalTo(c2))
                .body("lines.line_number", equalTo(List.of(1, 2, 3, 4)))
                .body("lines.commit_sha", equalTo(List.of(c2, c1, c2, c1)))
                .body("lines.original_line_number", equalTo(List.of(1, 1, 3, 3)))
                .body("lines[1].original_path", equalTo("docs/f.txt"))
                .body("lines[1].author_name", equalTo("Docs Bot")).body("lines[1].author_email", equalTo("docs@example.com"))
                .body("lines[1].author_time", equalTo("2024-01-15T10:30:00Z")).body("lines[1].committer_name", equalTo("Docs Bot"))
                .body("lines[1].summary", equalTo("change main"))
                .body("lines[1]", not(org.hamcrest.Matchers.hasKey("previous_commit_sha")))
                .body("lines[0].previous_commit_sha", equalTo(c1)).body("lines[2].previous_commit_sha", equalTo(c1));
        as(issuer, repo, ALL).queryParam("path", "docs/f.txt").queryParam("range", "2,3").queryParam("range", "4,4").get(b).then().statusCode(200)
                .body("lines.line_number", equalTo(List.of(2, 3, 4)));
        as(issuer, repo, ALL).queryParam("path", "docs/f.txt").queryParam("ref", c1).get(b).then().statusCode(200)
                .body("lines.commit_sha", equalTo(List.of(c1, c1, c1)));
        as(issuer, repo, ALL).queryParam("path", "docs/f.txt").queryParam("range", "3,1").get(b).then().statusCode(400)
                .body("error", containsString("range"));
        as(issuer, repo, ALL).queryParam("path", "../f.txt").get(b).then().statusCode(400);
        as(issuer, repo, ALL).queryParam("path", "docs").get(b).then().statusCode(400).body("error", containsString("directory"));
        as(issuer, repo, ALL).queryParam("path", "docs/nope").get(b).then().statusCode(404);
        as(issuer, repo, ALL).get(b).then().statusCode(400).body("error", containsString("path"));
    }

    @Test
    void grepFindsLinesWithContextFiltersAndPages() throws Exception {
        String issuer = issuer();
        String repo = create(issuer, "team/grep");
        commitPack(issuer, repo, ndjson(meta("main", null, List.of(upsert("src/a.ts", "a"), upsert("src/b.js", "b"), upsert("docs/c.md", "c"),
                        upsert("bin.dat", "d"))),
                chunk("a", b64("import x\nconst TODO = 1\nlet y\n// todo later\n"), true),
                chunk("b", b64("// TODO js\n"), true), chunk("c", b64("nothing\n"), true),
                chunk("d", java.util.Base64.getEncoder().encodeToString(new byte[] {'T', 'O', 'D', 'O', 0, 1}), true))).then().statusCode(201);
        String c1 = head(issuer, repo, "main");
        String g = API + "/grep";
        as(issuer, repo, "git:read").contentType("application/json").body("{\"query\":{\"pattern\":\"TODO\"}}").post(g).then().statusCode(200)
                .body("query.pattern", equalTo("TODO")).body("query.case_sensitive", equalTo(true))
                .body("repo.ref", equalTo("main")).body("repo.commit", equalTo(c1))
                .body("matches.path", equalTo(List.of("src/a.ts", "src/b.js")))
                .body("matches[0].lines.line_number", equalTo(List.of(2))).body("matches[0].lines[0].text", equalTo("const TODO = 1"))
                .body("matches[0].lines[0].type", equalTo("match")).body("has_more", equalTo(false))
                .body("$", not(org.hamcrest.Matchers.hasKey("next_cursor")));
        // case-insensitive with context; extension and glob filters; paths
        as(issuer, repo, ALL).contentType("application/json")
                .body("{\"query\":{\"pattern\":\"todo\",\"case_sensitive\":false},\"context\":{\"before\":1,\"after\":0},"
                        + "\"file_filters\":{\"extension_filters\":[\"ts\"]}}").post(g).then().statusCode(200)
                .body("matches.path", equalTo(List.of("src/a.ts")))
                .body("matches[0].lines.line_number", equalTo(List.of(1, 2, 3, 4)))
                .body("matches[0].lines.type", equalTo(List.of("context", "match", "context", "match")));
        json(issuer, repo, "POST", "/grep", "{\"query\":{\"pattern\":\"TODO\"},\"file_filters\":{\"exclude_globs\":[\"*.ts\"]}}", 200);
        as(issuer, repo, ALL).contentType("application/json").body("{\"query\":{\"pattern\":\"TODO\"},\"paths\":[\"src/b.js\"]}").post(g)
                .then().statusCode(200).body("matches.path", equalTo(List.of("src/b.js")));
        as(issuer, repo, ALL).contentType("application/json").body("{\"query\":{\"pattern\":\"TODO\"},\"file_filters\":{\"include_globs\":[\"src/**\"]},"
                + "\"limits\":{\"max_matches_per_file\":1}}").post(g).then().statusCode(200)
                .body("matches.path", equalTo(List.of("src/a.ts", "src/b.js")));
        // pages of one file
        var first = as(issuer, repo, ALL).contentType("application/json")
                .body("{\"query\":{\"pattern\":\"TODO\"},\"pagination\":{\"limit\":1}}").post(g);
        first.then().statusCode(200).body("matches.path", equalTo(List.of("src/a.ts"))).body("has_more", equalTo(true));
        as(issuer, repo, ALL).contentType("application/json")
                .body("{\"query\":{\"pattern\":\"TODO\"},\"pagination\":{\"limit\":1,\"cursor\":\"" + first.path("next_cursor") + "\"}}")
                .post(g).then().statusCode(200).body("matches.path", equalTo(List.of("src/b.js"))).body("has_more", equalTo(false));
        // refusals
        assertThat(json(issuer, repo, "POST", "/grep", "{\"query\":{\"pattern\":\"(\"}}", 400)).contains("regular expression");
        assertThat(json(issuer, repo, "POST", "/grep", "{}", 400)).contains("query.pattern");
        json(issuer, repo, "POST", "/grep", "", 400);
        json(issuer, repo, "POST", "/grep", "{\"query\":{\"pattern\":\"x\"},\"paths\":[\"../etc\"]}", 400);
        json(issuer, repo, "POST", "/grep", "{\"query\":{\"pattern\":\"x\"},\"context\":{\"before\":-1}}", 400);
        json(issuer, repo, "POST", "/grep", "{\"query\":{\"pattern\":\"x\"},\"pagination\":{\"cursor\":\"zz\"}}", 400);
        json(issuer, repo, "POST", "/grep", "{\"query\":{\"pattern\":\"x\"},\"ref\":\"nope\"}", 404);
        json(issuer, repo, "POST", "/grep", "{\"query\":{\"pattern\":\"x\",\"extra\":1}}", 400);
    }
}
