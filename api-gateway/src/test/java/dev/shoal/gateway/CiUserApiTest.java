package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.shoal.platform.outbox.Outbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The user endpoints Drone and Woodpecker share: both field sets, tokens, users administration, repos and feed. */
@QuarkusTest
@GatewayTestResources
class CiUserApiTest {

    /** Drone's and Woodpecker's user fields together. */
    static final List<String> USER_FIELDS = List.of("id", "login", "email", "avatar", "avatar_url", "machine", "admin",
            "active", "syncing", "synced", "created", "updated", "last_login", "forge_id", "org_id", "forge_remote_id");

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    private static void nearNow(long unixSeconds) {
        assertThat(unixSeconds).isBetween(Instant.now().getEpochSecond() - 300, Instant.now().getEpochSecond() + 5);
    }

    @Test
    void selfHasDroneAndWoodpeckerFields() {
        String login = Api.unique("dana");
        Api.createUser(login);
        String token = Api.tokenFor(login, "read");
        JsonPath self = as(token).get("/api/user").then().statusCode(200)
                .body("login", equalTo(login)).body("email", equalTo(login + "@example.com"))
                .body("admin", equalTo(false)).body("active", equalTo(true)).body("machine", equalTo(false))
                .body("syncing", equalTo(false)).body("forge_id", equalTo(1)).body("org_id", equalTo(0))
                .extract().jsonPath();
        assertThat(self.getMap("")).containsOnlyKeys(USER_FIELDS.toArray(String[]::new));
        assertThat(self.getString("forge_remote_id")).isEqualTo(String.valueOf(self.getLong("id")));
        nearNow(self.getLong("created"));
        assertThat(self.getLong("updated")).isGreaterThanOrEqualTo(self.getLong("created"));
        assertThat(self.getLong("synced")).isEqualTo(self.getLong("created"));
        as(null).get("/api/user").then().statusCode(401).body("error.code", equalTo("unauthorized"));
    }

    @Test
    void droneUsersChangeTheirOwnEmailOnly() {
        String login = Api.unique("umi");
        Api.createUser(login);
        String token = Api.tokenFor(login, "read", "write");
        as(token).body(Map.of("email", "umi@example.com")).patch("/api/user").then().statusCode(200)
                .body("login", equalTo(login)).body("email", equalTo("umi@example.com")).body("admin", equalTo(false));
        as(token).get("/api/user").then().statusCode(200).body("email", equalTo("umi@example.com"));
        // What the client read may be sent back unchanged.
        as(token).body(Map.of("login", login, "email", "umi@example.com", "admin", false, "active", true))
                .patch("/api/user").then().statusCode(200);
        as(token).body(Map.of("admin", true)).patch("/api/user").then().statusCode(403)
                .body("error.message", containsString("site administrator"));
        as(token).body(Map.of("login", "someone-else")).patch("/api/user").then().statusCode(400);
        as(token).body(Map.of("active", false)).patch("/api/user").then().statusCode(409);
        as(token).body(Map.of("email", "not an email")).patch("/api/user").then().statusCode(400);
        as(token).body("{\"email\": ").patch("/api/user").then().statusCode(400);
        as(Api.tokenFor(login, "read")).body(Map.of("email", "x@example.com")).patch("/api/user").then().statusCode(403);
        as(token).get("/api/user").then().statusCode(200).body("email", equalTo("umi@example.com")).body("admin", equalTo(false));
    }

    @Test
    void tokensAreIssuedAndReplaced() {
        String login = Api.unique("tess");
        Api.createUser(login);
        String session = Api.tokenFor(login, "read", "write");
        JsonPath issued = as(session).post("/api/user/token").then().statusCode(200)
                .body("login", equalTo(login)).extract().jsonPath();
        String first = issued.getString("token");
        assertThat(first).startsWith("shoal_pat_");
        as(first).get("/api/user").then().statusCode(200).body("login", equalTo(login));
        // The issued token has the scopes of the one that asked, never more.
        as(first).body(Map.of("name", "x", "scopes", List.of("admin"))).post("/api/v1/user/tokens").then().statusCode(403);

        String second = as(session).delete("/api/user/token").then().statusCode(200)
                .contentType(containsString("text/plain")).extract().asString();
        assertThat(second).startsWith("shoal_pat_").isNotEqualTo(first);
        as(second).get("/api/user").then().statusCode(200);
        as(first).get("/api/user").then().statusCode(401);
        as(session).get("/api/user").then().statusCode(200);
        as(session).get("/api/v1/user/tokens").then().statusCode(200)
                .body("data.findAll { it.name == 'ci-client' }.size()", equalTo(1));
    }

    @Test
    void siteAdminsManageUsers() {
        String login = Api.unique("uma");
        as(ADMIN_TOKEN).body(Map.of("login", login, "email", login + "@example.com", "admin", false,
                        "avatar_url", "", "forge_id", 1))
                .post("/api/users").then().statusCode(200).body("login", equalTo(login)).body("active", equalTo(true));
        as(ADMIN_TOKEN).body(Map.of("login", login)).post("/api/users").then().statusCode(409)
                .body("error.message", containsString("taken"));
        as(ADMIN_TOKEN).body(Map.of("login", Api.unique("m"), "machine", true)).post("/api/users").then().statusCode(400)
                .body("error.message", containsString("machine"));
        as(ADMIN_TOKEN).body(Map.of("login", Api.unique("e"), "email", "not-an-email")).post("/api/users").then()
                .statusCode(400).body("error.message", containsString("email"));
        as(ADMIN_TOKEN).body("{\"login\": ").post("/api/users").then().statusCode(400).body("error.code", equalTo("validation_failed"));
        as(ADMIN_TOKEN).body(Map.of("login", "x", "bogus", 1)).post("/api/users").then().statusCode(400)
                .body("error.message", containsString("bogus"));
        as(ADMIN_TOKEN).body("{}").post("/api/users").then().statusCode(400).body("error.message", containsString("login"));

        // The older reference creates at the login's path.
        String other = Api.unique("olga");
        as(ADMIN_TOKEN).body(Map.of("email", other + "@example.com")).post("/api/users/" + other).then().statusCode(200)
                .body("login", equalTo(other));

        JsonPath got = as(ADMIN_TOKEN).get("/api/users/" + login).then().statusCode(200).extract().jsonPath();
        assertThat(got.getMap("")).containsOnlyKeys(USER_FIELDS.toArray(String[]::new));
        as(ADMIN_TOKEN).get("/api/users/" + Api.unique("nobody")).then().statusCode(404);

        as(ADMIN_TOKEN).body(Map.of("admin", true, "email", "new@example.com")).patch("/api/users/" + login).then()
                .statusCode(200).body("admin", equalTo(true)).body("email", equalTo("new@example.com"));
        as(ADMIN_TOKEN).body(Map.of("login", "renamed")).patch("/api/users/" + login).then().statusCode(400)
                .body("error.message", containsString("login cannot be changed"));
        as(ADMIN_TOKEN).body(Map.of("admin", "yes")).patch("/api/users/" + login).then().statusCode(400)
                .body("error.message", containsString("admin"));

        // Woodpecker pages with perPage; Drone reads the list.
        as(ADMIN_TOKEN).queryParam("perPage", 100).get("/api/users").then().statusCode(200)
                .body("login", hasItem(login));
        as(ADMIN_TOKEN).queryParam("perPage", 1000).get("/api/users").then().statusCode(400);
        as(ADMIN_TOKEN).queryParam("perPage", 1).get("/api/users").then().statusCode(200).body("size()", equalTo(1));

        as(ADMIN_TOKEN).delete("/api/users/" + login).then().statusCode(204);
        as(ADMIN_TOKEN).get("/api/users/" + login).then().statusCode(200).body("active", equalTo(false));
        as(ADMIN_TOKEN).body(Map.of("active", true)).patch("/api/users/" + login).then().statusCode(200)
                .body("active", equalTo(true));

        String plain = Api.unique("pat");
        Api.createUser(plain);
        as(Api.tokenFor(plain, "admin")).get("/api/users").then().statusCode(403).body("error.code", equalTo("forbidden"));
    }

    @Test
    void reposAndFeedOfTheUsersOrganizations() {
        String login = Api.unique("rory");
        Api.createUser(login);
        String token = Api.tokenFor(login, "admin");
        String org = Api.unique("ciorg");
        Api.createOrg(token, org);
        long orgId = ((Number) as(token).get("/api/v1/orgs/" + org).then().extract().path("data.id")).longValue();
        long a = RepoFixture.announce(pool, outbox, orgId, org, "alpha", false, token);
        long b = RepoFixture.announce(pool, outbox, orgId, org, "beta", true, token);
        // A repository pipeline-service has not heard of yet: listed with what the gateway knows.
        long unknown = Long.MAX_VALUE / 2 + System.nanoTime() % 1_000_000;
        pool.preparedQuery("INSERT INTO repo_directory (id, org_id, org, name, is_private) VALUES ($1, $2, $3, 'gamma', false)")
                .execute(Tuple.of(unknown, orgId, org)).await().atMost(Duration.ofSeconds(5));

        JsonPath repos = as(token).get("/api/user/repos").then().statusCode(200)
                .body("name", equalTo(List.of("alpha", "beta", "gamma"))).extract().jsonPath();
        assertThat(repos.getMap("[0]")).containsEntry("id", a).containsEntry("namespace", org).containsEntry("owner", org)
                .containsEntry("slug", org + "/alpha").containsEntry("full_name", org + "/alpha")
                .containsEntry("private", false).containsEntry("visibility", "public").containsEntry("active", true)
                .containsEntry("timeout", 60).containsEntry("config_path", ".drone.yml").containsEntry("config_file", ".drone.yml")
                .containsEntry("allow_pr", true).containsEntry("allow_deploy", false).containsEntry("forge_id", 1)
                .containsEntry("forge_remote_id", String.valueOf(a)).containsEntry("org_id", (int) orgId)
                .containsKeys("clone_url", "git_http_url", "link", "forge_url", "scm").doesNotContainKey("build");
        assertThat(repos.getMap("[1]")).containsEntry("id", b).containsEntry("private", true).containsEntry("visibility", "private");
        assertThat(repos.getMap("[2]")).containsEntry("name", "gamma").doesNotContainKeys("active", "timeout");

        as(token).queryParam("latest", "true").get("/api/user/repos").then().statusCode(200)
                .body("[0].build.number", equalTo(1)).body("[0].build.status", equalTo("success"))
                .body("[2].build", equalTo(null));
        as(token).queryParam("latest", "maybe").get("/api/user/repos").then().statusCode(400)
                .body("error.message", containsString("latest must be true or false"));
        as(token).post("/api/user/repos").then().statusCode(200).body("name", equalTo(List.of("alpha", "beta", "gamma")));
        as(token).post("/api/user/repos/refresh").then().statusCode(200).body("size()", equalTo(3));

        JsonPath feed = as(token).get("/api/user/feed").then().statusCode(200).body("size()", equalTo(2)).extract().jsonPath();
        List<Long> created = feed.getList("created", Long.class);
        assertThat(created).isSortedAccordingTo((x, y) -> Long.compare(y, x));
        assertThat(feed.getMap("[0]")).containsKeys("repo_id", "id", "number", "event", "status", "created", "started",
                "finished", "commit", "branch", "ref", "refspec", "author", "avatar", "owner", "name", "full_name");
        assertThat(feed.getList("full_name")).containsExactlyInAnyOrder(org + "/alpha", org + "/beta");
        assertThat(feed.getString("[0].commit")).hasSize(40);

        // Someone outside the organization sees none of it.
        String outsider = Api.unique("otis");
        Api.createUser(outsider);
        String outsiderToken = Api.tokenFor(outsider, "read");
        as(outsiderToken).get("/api/user/repos").then().statusCode(200)
                .body("full_name", not(hasItem(org + "/alpha"))).body("full_name", not(hasItem(org + "/beta")));
        as(outsiderToken).get("/api/user/feed").then().statusCode(200)
                .body("full_name", not(hasItem(org + "/alpha"))).body("full_name", not(hasItem(org + "/beta")));
    }
}
