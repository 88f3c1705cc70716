package dev.shoal.repo.compat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.Git;
import dev.shoal.repo.support.MembershipDouble;
import dev.shoal.repo.support.RepoStorageResource;
import dev.shoal.repo.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pagure API v0 project endpoints: form-encoded input, Pagure's field names, pagination and error shape. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class PagureProjectApiTest {

    @Inject
    MembershipDouble membership;

    @Test
    void createWithFormThenReadInBothDialects() {
        String org = Fixtures.uniqueOrg("pag");
        membership.org(org, 70);
        membership.role(org, 2, "member");
        String member = Fixtures.member(70);
        given().auth().oauth2(member).formParam("name", "tool").formParam("description", "A tool")
                .formParam("namespace", org).formParam("private", "false").formParam("wait", "true")
                .post("/api/0/new")
                .then().statusCode(200).body("message", equalTo("Project \"" + org + "/tool\" created"));
        // Same repository in the Isurus API.
        given().auth().oauth2(member).get("/api/v1/repos/" + org + "/tool")
                .then().statusCode(200).body("data.description", equalTo("A tool")).body("data.is_private", equalTo(false));

        given().auth().oauth2(member).get("/api/0/" + org + "/tool")
                .then().statusCode(200)
                .body("name", equalTo("tool")).body("namespace", equalTo(org)).body("fullname", equalTo(org + "/tool"))
                .body("url_path", equalTo(org + "/tool")).body("description", equalTo("A tool"))
                .body("date_created", matchesPattern("\\d{9,}")).body("date_modified", matchesPattern("\\d{9,}"))
                .body("user.name", equalTo("bob")).body("user.fullname", equalTo("bob"))
                .body("access_users.owner", equalTo(List.of("bob"))).body("parent", nullValue())
                .body("close_status", empty()).body("tags", empty());

        // JSON is accepted too, unknown Pagure fields ignored.
        given().auth().oauth2(member).contentType("application/json")
                .body(Map.of("name", "secret", "description", "s", "namespace", org, "private", true, "avatar_email", "x@y.z"))
                .post("/api/0/new").then().statusCode(200);
        given().auth().oauth2(member).get("/api/v1/repos/" + org + "/secret").then().statusCode(200).body("data.is_private", equalTo(true));
    }

    /**
     * Project lists span organizations, so the gateway's route check cannot guard them: a private
     * project must not show through any filter, to anyone (Pagure lists public projects), nor in
     * the lists the gateway's user and group pages read.
     */
    @Test
    void privateProjectsShowInNoListOrFilter() {
        String org = Fixtures.uniqueOrg("hide");
        membership.org(org, 72);
        membership.role(org, 2, "member");
        String member = Fixtures.member(72);
        for (String name : List.of("shown", "hidden")) {
            given().auth().oauth2(member).formParam("name", name).formParam("description", "d").formParam("namespace", org)
                    .formParam("private", String.valueOf(name.equals("hidden"))).formParam("wait", "true")
                    .post("/api/0/new").then().statusCode(200);
        }
        for (String token : List.of(member, Fixtures.outsider(72))) {
            given().auth().oauth2(token).get("/api/0/projects?namespace=" + org).then().statusCode(200)
                    .body("total_projects", equalTo(1)).body("projects.name", equalTo(List.of("shown")));
            for (String filter : List.of("pattern=hidden", "pattern=hid*", "owner=bob&pattern=hidden", "username=bob&pattern=hidden",
                    "fork=false&pattern=hidden", "short=true&pattern=hidden")) {
                given().auth().oauth2(token).get("/api/0/projects?namespace=" + org + "&" + filter).then().statusCode(200)
                        .body("total_projects", equalTo(0));
            }
        }
        given().auth().oauth2(member).get("/internal/pagure/projects?owner=bob&fork=false&per_page=100").then().statusCode(200)
                .body("data.projects.fullname", not(hasItem(org + "/hidden")))
                .body("data.projects.fullname", hasItem(org + "/shown"));
        given().auth().oauth2(member).get("/internal/pagure/projects?group=" + org + "&per_page=100").then().statusCode(200)
                .body("data.projects.fullname", equalTo(List.of(org + "/shown"))).body("data.total", equalTo(1));
    }

    @Test
    void createRefusalsInPagureShape() {
        String org = Fixtures.uniqueOrg("pagx");
        membership.org(org, 71);
        String outsider = Fixtures.outsider(71);
        given().auth().oauth2(outsider).formParam("name", "x").formParam("description", "d").formParam("namespace", org)
                .post("/api/0/new").then().statusCode(403)
                .body("error_code", equalTo("ENOTHIGHENOUGH")).body("error", equalTo("only members of " + org + " may create projects in it"));
        membership.role(org, 2, "owner");
        String member = Fixtures.member(71);
        given().auth().oauth2(member).formParam("description", "d").formParam("namespace", org)
                .post("/api/0/new").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"))
                .body("error", equalTo("name: this field is required"));
        given().auth().oauth2(member).formParam("name", "x").formParam("description", "d")
                .post("/api/0/new").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));
        given().auth().oauth2(member).formParam("name", "x").formParam("description", "d").formParam("namespace", "no-such-org-q")
                .post("/api/0/new").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));
        given().auth().oauth2(member).formParam("name", "x").formParam("description", "d").formParam("namespace", org)
                .formParam("private", "maybe").post("/api/0/new").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));
        given().auth().oauth2(member).formParam("name", "bad/name").formParam("description", "d").formParam("namespace", org)
                .post("/api/0/new").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));
        // Found by the route-table sweep: unreadable JSON failed before the resource, in the Isurus shape.
        for (String broken : new String[] {"{\"name\": ", "[1, 2]", "{\"name\": []}"}) {
            given().auth().oauth2(member).contentType("application/json").body(broken)
                    .post("/api/0/new").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"))
                    .body("error", containsString("form"));
        }
        given().auth().oauth2(member).formParam("name", "dup").formParam("description", "d").formParam("namespace", org)
                .post("/api/0/new").then().statusCode(200);
        given().auth().oauth2(member).formParam("name", "dup").formParam("description", "d").formParam("namespace", org)
                .post("/api/0/new").then().statusCode(409).body("error_code", equalTo("ENOCODE")).body("error", not(nullValue()));
        given().auth().oauth2(member).get("/api/0/" + org + "/nope")
                .then().statusCode(404).body("error_code", equalTo("ENOPROJECT")).body("error", equalTo("Project not found"));
    }

    @Test
    void listFiltersAndPaginates() {
        String org = Fixtures.uniqueOrg("plist");
        String owner = Fixtures.owner(72);
        for (String name : List.of("alpha", "beta", "alphabet")) {
            Fixtures.createRepo(owner, org, name, false);
        }
        Fixtures.createRepo(owner, org, "hidden", true);
        given().auth().oauth2(owner).get("/api/0/projects?namespace=" + org + "&per_page=2&page=1")
                .then().statusCode(200)
                .body("total_projects", equalTo(3))
                .body("projects.name", equalTo(List.of("alpha", "alphabet")))
                .body("projects[0].fullname", equalTo(org + "/alpha"))
                .body("args.namespace", equalTo(org)).body("args.per_page", equalTo(2)).body("args.short", equalTo(false))
                .body("pagination.page", equalTo(1)).body("pagination.pages", equalTo(2)).body("pagination.per_page", equalTo(2))
                .body("pagination.prev", nullValue())
                .body("pagination.first", equalTo("http://shoal.test/api/0/projects?namespace=" + org + "&per_page=2&page=1"))
                .body("pagination.next", equalTo("http://shoal.test/api/0/projects?namespace=" + org + "&per_page=2&page=2"))
                .body("pagination.last", equalTo("http://shoal.test/api/0/projects?namespace=" + org + "&per_page=2&page=2"));
        given().auth().oauth2(Fixtures.outsider(72)).get("/api/0/projects?owner=" + org + "&pattern=alpha*&short=true")
                .then().statusCode(200).body("total_projects", equalTo(2))
                .body("projects[0]", not(hasKey("access_users"))).body("projects[0].namespace", equalTo(org))
                .body("args.pattern", equalTo("alpha*")).body("args.short", equalTo(true));
        given().auth().oauth2(Fixtures.outsider(72)).get("/api/0/projects?namespace=" + org + "&pattern=alpha").then().body("projects.name", equalTo(List.of("alpha")));
        given().auth().oauth2(Fixtures.outsider(72)).get("/api/0/projects?namespace=" + org + "&pattern=%25").then().body("total_projects", equalTo(0));
        given().auth().oauth2(Fixtures.outsider(72)).get("/api/0/projects?per_page=101").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));
        given().auth().oauth2(Fixtures.outsider(72)).get("/api/0/projects?page=abc").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));
    }

    @Test
    void branchesTagsAndUrls() {
        String org = Fixtures.uniqueOrg("pgit");
        String token = Fixtures.owner(73);
        Fixtures.createRepo(token, org, "g", false);
        Git git = new Git(token);
        Path dir = Seed.pushedMain(git, org, "g");
        git.out(dir, "tag", "v1.0");
        git.out(dir, "push", "origin", "v1.0", "main:dev");
        String head = git.out(dir, "rev-parse", "HEAD").strip();
        String base = "/api/0/" + org + "/g";
        given().auth().oauth2(token).get(base + "/git/branches")
                .then().statusCode(200).body("total_branches", equalTo(2)).body("branches", containsInAnyOrder("dev", "main"));
        given().auth().oauth2(token).get(base + "/git/branches?with_commits=true")
                .then().statusCode(200).body("branches.main", equalTo(head)).body("branches.dev", equalTo(head));
        given().auth().oauth2(token).get(base + "/git/tags")
                .then().statusCode(200).body("total_tags", equalTo(1)).body("tags", equalTo(List.of("v1.0")));
        given().auth().oauth2(token).get(base + "/git/tags?with_commits=1").then().body("tags.'v1.0'", equalTo(head));
        given().auth().oauth2(token).get(base + "/git/urls")
                .then().statusCode(200).body("total_urls", equalTo(2)).body("urls.git", equalTo("http://shoal.test/" + org + "/g.git"))
                .body("urls.ssh", equalTo("ssh://git@shoal.test:8086/" + org + "/g.git"));
        given().auth().oauth2(token).get("/api/0/" + org + "/missing/git/branches")
                .then().statusCode(404).body("error_code", equalTo("ENOPROJECT"));
    }
}
