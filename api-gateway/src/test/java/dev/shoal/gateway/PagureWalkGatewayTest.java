package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.schema.RepoAccessChanged;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Pagure API v0 through the gateway as Pagure clients call it ({@code Authorization: token},
 * form-encoded bodies): the three path forms reach the services as {@code /api/0/{org}/{repo}/…},
 * Pagure ACLs change what the gateway allows, and the users and groups endpoints answered here.
 * The echoing upstream stands in for repo-service, which does not run in gateway tests.
 */
@QuarkusTest
@GatewayTestResources
class PagureWalkGatewayTest {

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    private static RequestSpecification pagure(String token) {
        RequestSpecification spec = given().contentType("application/x-www-form-urlencoded");
        return token == null ? spec : spec.header("Authorization", "token " + token);
    }

    private static long orgId(String org) {
        return ((Number) as(null).get("/api/v1/orgs/" + org).then().statusCode(200).extract().path("data.id")).longValue();
    }

    private static void eventually(Supplier<Boolean> condition, String what) {
        Waits.until(Duration.ofSeconds(30), condition::get, () -> "never happened: " + what);
    }

    private void publishAccess(long repoId, String org, String name, Map<String, String> users, Map<String, String> groups,
                               List<String> blocked) {
        pool.withTransaction(tx -> outbox.append(tx, EventTypes.REPO_ACCESS_CHANGED, new EventEnvelope.Actor(1L, "admin"),
                new EventEnvelope.RepoRef(repoId, org, name, true), new RepoAccessChanged(repoId, users, groups, blocked), repoId))
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void threePathFormsReachTheServiceAsOrgRepo() {
        String owner = Api.unique("own");
        Api.createUser(owner);
        String ownerToken = Api.tokenFor(owner, "admin");
        String org = Api.unique("ns");
        Api.createOrg(ownerToken, org);
        // The default namespace is an ordinary organization (toplevel in these tests).
        as(ADMIN_TOKEN).body(Map.of("name", "toplevel", "description", "Pagure's namespace-less projects")).post("/api/v1/orgs");
        long top = orgId("toplevel");
        String proj = Api.unique("proj");
        long topProject = RepoFixture.announce(pool, outbox, top, "toplevel", proj, false, ADMIN_TOKEN);
        long topFork = RepoFixture.announce(pool, outbox, top, "toplevel", proj + "--fork--alice", false, ADMIN_TOKEN);
        long nsFork = RepoFixture.announce(pool, outbox, orgId(org), org, proj + "--fork--alice", false, ownerToken);

        pagure(ownerToken).get("/api/0/" + proj).then().statusCode(200)
                .body("echo.path", equalTo("/api/0/toplevel/" + proj)).body("echo.claims.repo_id", equalTo(topProject));
        pagure(ownerToken).get("/api/0/" + proj + "/git/branches?with_commits=1").then().statusCode(200)
                .body("echo.path", equalTo("/api/0/toplevel/" + proj + "/git/branches")).body("echo.query", equalTo("with_commits=1"));
        pagure(null).get("/api/0/fork/alice/" + proj + "/git/urls").then().statusCode(200)
                .body("echo.path", equalTo("/api/0/toplevel/" + proj + "--fork--alice/git/urls"))
                .body("echo.claims.repo_id", equalTo(topFork)).body("echo.claims.kind", equalTo("anonymous"));
        pagure(ownerToken).get("/api/0/fork/alice/" + org + "/" + proj).then().statusCode(200)
                .body("echo.path", equalTo("/api/0/" + org + "/" + proj + "--fork--alice")).body("echo.claims.repo_id", equalTo(nsFork));
        // A form-encoded write in the fork form: body streamed, role of the org owner.
        pagure(ownerToken).formParam("watcher", owner).formParam("status", "1")
                .post("/api/0/fork/alice/" + org + "/" + proj + "/watchers/update").then().statusCode(200)
                .body("echo.method", equalTo("POST")).body("echo.path", equalTo("/api/0/" + org + "/" + proj + "--fork--alice/watchers/update"))
                .body("echo.body_size", greaterThan(10)).body("echo.claims.role", equalTo("owner"));
        // Refusals name the path the client sent, in Pagure's shape.
        pagure(ownerToken).get("/api/0/fork/alice/" + org + "/" + proj + "/no/such/thing").then().statusCode(404)
                .body("error_code", equalTo("ENOCODE")).body("error", containsString("/api/0/fork/alice/"));
        pagure(null).get("/api/0/fork/bob/" + org + "/" + proj).then().statusCode(404).body("error_code", equalTo("ENOPROJECT"));
        pagure(ownerToken).formParam("repo", proj).post("/api/0/fork").then().statusCode(200).body("echo.path", equalTo("/api/0/fork"));
        pagure(ownerToken).get("/api/0/task/abc/status").then().statusCode(200).body("echo.path", equalTo("/api/0/task/abc/status"));
    }

    @Test
    void pagureAclsDecideAccessAtTheGateway() {
        String owner = Api.unique("own");
        String carol = Api.unique("carol");
        String dave = Api.unique("dave");
        Api.createUser(owner);
        Api.createUser(carol);
        Api.createUser(dave);
        String ownerToken = Api.tokenFor(owner, "admin");
        String carolToken = Api.tokenFor(carol, "write");
        String daveToken = Api.tokenFor(dave, "write");
        String org = Api.unique("acl");
        String team = Api.unique("team");
        Api.createOrg(ownerToken, org);
        Api.createOrg(ownerToken, team);
        Api.addMember(ownerToken, team, dave, "member");
        long repoId = RepoFixture.announce(pool, outbox, orgId(org), org, "secret", true, ownerToken);
        String base = "/api/0/" + org + "/secret";

        pagure(carolToken).get(base).then().statusCode(404).body("error_code", equalTo("ENOPROJECT"));
        pagure(daveToken).get(base).then().statusCode(404);

        // carol: commit ACL (member role), dave: through his group's ticket ACL (reads, role none).
        publishAccess(repoId, org, "secret", Map.of(carol.toLowerCase(), "commit"), Map.of(team.toLowerCase(), "ticket"), List.of());
        eventually(() -> pagure(carolToken).get(base).statusCode() == 200, "carol's commit ACL reaches the gateway");
        pagure(carolToken).get(base).then().body("echo.claims.role", equalTo("member")).body("echo.claims.repo_id", equalTo(repoId));
        pagure(carolToken).formParam("branch", "x").post(base + "/git/branch").then().statusCode(200);
        pagure(carolToken).formParam("main_admin", carol).patch(base).then().statusCode(403).body("error_code", equalTo("ENOTHIGHENOUGH"));
        pagure(daveToken).get(base).then().statusCode(200).body("echo.claims.role", equalTo("none"));
        pagure(daveToken).formParam("branch", "y").post(base + "/git/branch").then().statusCode(403).body("error_code", equalTo("ENOTHIGHENOUGH"));
        // The same rules hold in the fork form and for git over HTTP.
        given().auth().preemptive().basic(carol, carolToken).get("/" + org + "/secret.git/info/refs?service=git-receive-pack")
                .then().statusCode(200).body("echo.claims.role", equalTo("member"));

        // Admin ACL: the owner role, so carol administers the project.
        publishAccess(repoId, org, "secret", Map.of(carol.toLowerCase(), "admin"), Map.of(), List.of());
        eventually(() -> pagure(carolToken).formParam("main_admin", carol).patch(base).statusCode() == 200, "carol's admin ACL");
        pagure(carolToken).get(base + "/options").then().statusCode(200).body("echo.claims.role", equalTo("owner"));
        eventually(() -> pagure(daveToken).get(base).statusCode() == 404, "dave's group ACL removed");

        // Blocked: reads still pass, writes are refused at the gateway.
        publishAccess(repoId, org, "secret", Map.of(carol.toLowerCase(), "commit"), Map.of(), List.of(carol.toLowerCase()));
        eventually(() -> pagure(carolToken).formParam("watcher", carol).formParam("status", "1").post(base + "/watchers/update")
                .statusCode() == 403, "carol blocked");
        pagure(carolToken).formParam("watcher", carol).formParam("status", "1").post(base + "/watchers/update")
                .then().body("error", containsString("blocked")).body("error_code", equalTo("ENOTHIGHENOUGH"));
        pagure(carolToken).get(base).then().statusCode(200);
        // Organization owners are never locked out of their repositories.
        pagure(ownerToken).formParam("branch", "z").post(base + "/git/branch").then().statusCode(200);
    }

    @Test
    void usersActivityAndGroups() {
        String prefix = "zed" + Api.unique("").substring(0, 5);
        String user = prefix + "user";
        Api.createUser(user);
        Api.createUser(prefix + "other");
        String token = Api.tokenFor(user, "admin");

        pagure(null).get("/api/0/users?pattern=" + prefix).then().statusCode(200)
                .body("total_users", equalTo(2)).body("users", equalTo(List.of(prefix + "other", prefix + "user")));
        pagure(null).get("/api/0/users?pattern=" + prefix + "u*").then().body("users", equalTo(List.of(prefix + "user")));
        pagure(null).get("/api/0/user/" + user).then().statusCode(200)
                .body("user.name", equalTo(user)).body("user.fullname", equalTo(user)).body("user", hasKey("avatar_url"))
                .body("repos", equalTo(List.of())).body("forks", equalTo(List.of()))
                .body("repos_pagination.repopage", equalTo(1)).body("forks_pagination.forkpage", equalTo(1))
                .body("repos_pagination.first", containsString("repopage=1"));
        pagure(null).get("/api/0/user/nobody-" + prefix).then().statusCode(404).body("error_code", equalTo("ENOUSER"));
        pagure(null).get("/api/0/user/" + user + "?per_page=500").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));

        // Activity is what the audit log recorded: this user makes a group (an organization) and a token.
        String group = prefix + "grp";
        Api.createOrg(token, group);
        Api.addMember(token, group, prefix + "other", "member");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        eventually(() -> {
            Response stats = pagure(null).get("/api/0/user/" + user + "/activity/stats");
            Integer count = stats.path("'" + today + "'");
            return count != null && count >= 2;
        }, "the audit log records the user's changes");
        String midnight = String.valueOf(LocalDate.now(ZoneOffset.UTC).atStartOfDay().toEpochSecond(ZoneOffset.UTC));
        pagure(null).get("/api/0/user/" + user + "/activity/stats?format=timestamp").then().statusCode(200).body("$", hasKey(midnight));
        pagure(null).get("/api/0/user/" + user + "/activity/stats?format=weird").then().statusCode(400);
        pagure(null).get("/api/0/user/" + user + "/activity/" + today).then().statusCode(200)
                .body("activities.description", hasItem(user + " POST /api/v1/orgs"))
                .body("activities[0].user.name", equalTo(user)).body("activities[0].date", equalTo(today))
                .body("activities[0].description_mk", containsString("<p>"));
        pagure(null).get("/api/0/user/" + user + "/activity/2001-01-01").then().statusCode(200).body("activities", equalTo(List.of()));
        pagure(null).get("/api/0/user/" + user + "/activity/yesterday").then().statusCode(400).body("error_code", equalTo("ETIMESTAMP"));

        pagure(null).get("/api/0/groups?pattern=" + prefix).then().statusCode(200)
                .body("total_groups", equalTo(1)).body("groups", equalTo(List.of(group)))
                .body("pagination.page", equalTo(1)).body("pagination.next", nullValue());
        pagure(null).get("/api/0/group/" + group).then().statusCode(200)
                .body("name", equalTo(group)).body("display_name", equalTo(group)).body("group_type", equalTo("user"))
                .body("members", equalTo(List.of(prefix + "other", user))).body("creator.name", equalTo(user))
                .body("creator.default_email", equalTo(user + "@example.com"))
                .body("creator.emails", equalTo(List.of(user + "@example.com")))
                .body("date_created", not(nullValue())).body("$", not(hasKey("projects")));
        pagure(null).get("/api/0/group/" + group + "?projects=1&acl=commit").then().statusCode(200).body("projects", equalTo(List.of()));
        pagure(null).get("/api/0/group/" + group + "?acl=owner").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));
        pagure(null).get("/api/0/group/nogroup-" + prefix).then().statusCode(404).body("error_code", equalTo("ENOGROUP"));
        assertThat(prefix).isNotBlank();
    }
}
