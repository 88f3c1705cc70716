package dev.shoal.repo.compat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.shoal.platform.testing.InternalKeys;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.Git;
import dev.shoal.repo.support.MembershipDouble;
import dev.shoal.repo.support.Outbox;
import dev.shoal.repo.support.RepoStorageResource;
import dev.shoal.repo.support.Seed;
import dev.shoal.repo.support.UserDirectoryDouble;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Walks every Pagure project endpoint group of repo-service the way Pagure clients call it:
 * form-encoded bodies, Pagure's field names, the internal token the gateway would mint (role as the
 * gateway computes it, Pagure ACLs included). The fork is cloned with the stock git command.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class PagureProjectWalkTest {

    @Inject
    MembershipDouble membership;

    @Inject
    UserDirectoryDouble users;

    @Inject
    Pool pool;

    private static String token(long id, String login, long orgId, String role) {
        return InternalKeys.shared().userToken(id, login, List.of("read", "write", "admin"), orgId, null, role);
    }

    private static RequestSpecification form(String token) {
        return given().header("Authorization", "Bearer " + token).contentType("application/x-www-form-urlencoded");
    }

    private void registerUsers() {
        users.user(1, "ada");
        users.user(2, "bob");
        users.user(3, "eve");
        users.user(4, "carol");
    }

    private static String awaitTask(String token, String taskId) {
        return Waits.until(Duration.ofSeconds(10), () -> given().auth().oauth2(token).get("/api/0/task/" + taskId + "/status")
                .then().statusCode(200).extract().<String>path("status"), status -> !status.equals("PENDING"), "task " + taskId + " finished");
    }

    @Test
    void projectLifecycleAclsWatchersOptionsBlockAndTags() {
        registerUsers();
        String org = Fixtures.uniqueOrg("walk");
        String other = Fixtures.uniqueOrg("grp");
        membership.org(org, 80);
        membership.org(other, 81);
        membership.role(org, 2, "member");
        String bob = token(2, "bob", 80, "member");
        String bobAdmin = token(2, "bob", 80, "owner");

        // Create with wait=false: a task id, whose status the task endpoint reports from its row.
        String taskId = form(bob).formParam("name", "walk").formParam("description", "Walk it").formParam("namespace", org)
                .formParam("wait", "false").post("/api/0/new")
                .then().statusCode(200).body("message", equalTo("Project creation queued"))
                .body("taskid", matchesPattern("[0-9a-f-]{36}")).extract().path("taskid");
        assertThat(awaitTask(bob, taskId)).isEqualTo("SUCCESS");
        given().auth().oauth2(bob).get("/api/0/task/" + taskId + "/status").then().body("message", equalTo("Project \"" + org + "/walk\" created"));
        given().auth().oauth2(bob).get("/api/0/task/not-a-task/status").then().statusCode(404).body("error_code", equalTo("ENOCODE"));
        // A task that fails says so (duplicate name).
        String failing = form(bob).formParam("name", "walk").formParam("description", "again").formParam("namespace", org)
                .formParam("wait", "0").post("/api/0/new").then().statusCode(200).extract().path("taskid");
        assertThat(awaitTask(bob, failing)).isEqualTo("FAILURE");
        given().auth().oauth2(bob).get("/api/0/task/" + failing + "/status").then().body("message", containsString("already exists"));

        String base = "/api/0/" + org + "/walk";
        long repoId = ((Number) given().auth().oauth2(bob).get(base).then().statusCode(200)
                .body("user.name", equalTo("bob")).body("access_users.owner", equalTo(List.of("bob")))
                .body("access_users.admin", equalTo(List.of())).body("access_groups.commit", equalTo(List.of()))
                .extract().path("id")).longValue();

        // Branches: from the default branch, from a commit; refusals.
        String ada = Fixtures.owner(80);
        Git git = new Git(ada);
        Path dir = Seed.pushedMain(git, org, "walk");
        String head = git.out(dir, "rev-parse", "HEAD");
        form(bob).formParam("branch", "feature").post(base + "/git/branch")
                .then().statusCode(200).body("message", equalTo("Project branch was created"));
        form(bob).formParam("branch", "fix").formParam("from_commit", head).post(base + "/git/branch").then().statusCode(200);
        form(bob).formParam("branch", "from-feature").formParam("from_branch", "feature").post(base + "/git/branch").then().statusCode(200);
        given().auth().oauth2(bob).get(base + "/git/branches?with_commits=true").then().statusCode(200)
                .body("total_branches", equalTo(4)).body("branches.feature", equalTo(head)).body("branches.fix", equalTo(head));
        form(bob).formParam("branch", "feature").post(base + "/git/branch").then().statusCode(400)
                .body("error_code", equalTo("EINVALIDREQ")).body("error", equalTo("branch: 'feature' already exists"));
        form(bob).formParam("branch", "x").formParam("from_commit", "deadbeef").post(base + "/git/branch").then().statusCode(404)
                .body("error_code", equalTo("ENOCOMMIT"));
        form(bob).formParam("branch", "y").formParam("from_branch", "nope").post(base + "/git/branch").then().statusCode(400);
        form(bob).formParam("branch", "bad..name").post(base + "/git/branch").then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));
        form(bob).post(base + "/git/branch").then().statusCode(400).body("error", equalTo("branch: this field is required"));
        // The branch is a real ref, and its creation a push event.
        assertThat(Outbox.events(pool, repoId, "repo.pushed").stream().map(e -> e.getJsonObject("data").getString("ref")))
                .contains("refs/heads/feature", "refs/heads/fix");

        // ACLs for users and groups (groups are organizations).
        form(bobAdmin).formParam("user_type", "user").formParam("name", "carol").formParam("acl", "commit")
                .post(base + "/git/modifyacls").then().statusCode(200)
                .body("access_users.commit", equalTo(List.of("carol"))).body("access_users.owner", equalTo(List.of("bob")));
        form(bobAdmin).formParam("user_type", "group").formParam("name", other).formParam("acl", "ticket")
                .post(base + "/git/modifyacls").then().statusCode(200).body("access_groups.ticket", equalTo(List.of(other)));
        form(bobAdmin).formParam("user_type", "user").formParam("name", "eve").formParam("acl", "ticket")
                .post(base + "/git/modifyacls").then().statusCode(200).body("access_users.ticket", equalTo(List.of("eve")));
        form(bobAdmin).formParam("user_type", "user").formParam("name", "eve")
                .post(base + "/git/modifyacls").then().statusCode(200).body("access_users.ticket", equalTo(List.of()));
        form(bobAdmin).formParam("user_type", "user").formParam("name", "nobody-here").formParam("acl", "commit")
                .post(base + "/git/modifyacls").then().statusCode(404).body("error_code", equalTo("ENOUSER"));
        form(bobAdmin).formParam("user_type", "group").formParam("name", "no-such-group").formParam("acl", "commit")
                .post(base + "/git/modifyacls").then().statusCode(404).body("error_code", equalTo("ENOGROUP"));
        form(bobAdmin).formParam("user_type", "robot").formParam("name", "carol").post(base + "/git/modifyacls")
                .then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));
        form(bobAdmin).formParam("user_type", "user").formParam("name", "carol").formParam("acl", "god").post(base + "/git/modifyacls")
                .then().statusCode(400).body("error", containsString("ticket, commit or admin"));
        form(bob).formParam("user_type", "user").formParam("name", "carol").formParam("acl", "admin").post(base + "/git/modifyacls")
                .then().statusCode(403).body("error_code", equalTo("ENOTHIGHENOUGH"));
        // The gateway learns every change as one whole access list.
        List<JsonObject> access = Outbox.events(pool, repoId, "repo.access_changed");
        JsonObject last = access.get(access.size() - 1).getJsonObject("data");
        assertThat(last.getJsonObject("users").getMap()).isEqualTo(Map.of("bob", "admin", "carol", "commit"));
        assertThat(last.getJsonObject("groups").getMap()).isEqualTo(Map.of(other.toLowerCase(), "ticket"));

        // Give the project to carol; bob keeps admin access.
        form(bobAdmin).formParam("main_admin", "carol").formParam("retain_access", "true").patch(base)
                .then().statusCode(200).body("user.name", equalTo("carol")).body("access_users.owner", equalTo(List.of("carol")))
                .body("access_users.admin", equalTo(List.of("bob"))).body("access_users.commit", equalTo(List.of()));
        form(bobAdmin).formParam("main_admin", "ghost").patch(base).then().statusCode(404).body("error_code", equalTo("ENOUSER"));
        form(bobAdmin).patch(base).then().statusCode(400).body("error", equalTo("main_admin: this field is required"));

        // Watchers: owner and admins by default; each user changes their own status.
        given().auth().oauth2(bob).get(base + "/watchers").then().statusCode(200).body("total_watchers", equalTo(2))
                .body("watchers.carol", equalTo(List.of("issues", "commits"))).body("watchers.bob", equalTo(List.of("issues", "commits")));
        form(bob).formParam("watcher", "bob").formParam("status", "2").formParam("repo", "walk").post(base + "/watchers/update")
                .then().statusCode(200).body("status", equalTo("ok")).body("message", equalTo("You are now watching commits on this project"));
        String eve = token(3, "eve", 80, "none");
        form(eve).formParam("watcher", "eve").formParam("status", "1").post(base + "/watchers/update").then().statusCode(200);
        given().auth().oauth2(bob).get(base + "/watchers").then().body("total_watchers", equalTo(3))
                .body("watchers.bob", equalTo(List.of("commits"))).body("watchers.eve", equalTo(List.of("issues")));
        form(bob).formParam("watcher", "bob").formParam("status", "0").post(base + "/watchers/update").then().statusCode(200);
        form(eve).formParam("watcher", "eve").formParam("status", "-1").post(base + "/watchers/update")
                .then().body("message", equalTo("Watch status reset"));
        given().auth().oauth2(bob).get(base + "/watchers").then().body("total_watchers", equalTo(1)).body("watchers.carol", not(nullValue()));
        form(eve).formParam("watcher", "bob").formParam("status", "1").post(base + "/watchers/update")
                .then().statusCode(403).body("error_code", equalTo("ENOTHIGHENOUGH"));
        form(eve).formParam("watcher", "eve").formParam("status", "7").post(base + "/watchers/update")
                .then().statusCode(400).body("error_code", equalTo("EINVALIDREQ"));

        // Options with Pagure's keys; an update resets what it does not name.
        given().auth().oauth2(bobAdmin).get(base + "/options").then().statusCode(200).body("status", equalTo("ok"))
                .body("settings.issue_tracker", equalTo(true)).body("settings.'Minimum_score_to_merge_pull-request'", equalTo(-1))
                .body("settings.'Web-hooks'", nullValue());
        form(bobAdmin).formParam("issue_tracker", "false").formParam("Minimum_score_to_merge_pull-request", "2")
                .post(base + "/options/update").then().statusCode(200)
                .body("message", equalTo("Edited successfully settings of repo: " + org + "/walk"));
        given().auth().oauth2(bobAdmin).get(base + "/options").then().body("settings.issue_tracker", equalTo(false))
                .body("settings.'Minimum_score_to_merge_pull-request'", equalTo(2)).body("settings.pull_requests", equalTo(true));
        form(bobAdmin).formParam("always_merge", "true").post(base + "/options/update").then().statusCode(200);
        given().auth().oauth2(bobAdmin).get(base + "/options").then().body("settings.issue_tracker", equalTo(true))
                .body("settings.always_merge", equalTo(true));
        form(bobAdmin).formParam("no_such_option", "1").post(base + "/options/update").then().statusCode(400)
                .body("error", containsString("not a project option"));
        form(bobAdmin).formParam("pull_requests", "perhaps").post(base + "/options/update").then().statusCode(400);
        given().auth().oauth2(bob).get(base + "/options").then().statusCode(403).body("error_code", equalTo("ENOTHIGHENOUGH"));

        // Block users: the list replaces the previous one and reaches the gateway.
        form(bobAdmin).formParam("username", "eve").post(base + "/blockuser").then().statusCode(200).body("message", equalTo("User(s) blocked"));
        access = Outbox.events(pool, repoId, "repo.access_changed");
        assertThat(access.get(access.size() - 1).getJsonObject("data").getJsonArray("blocked").getList()).containsExactly("eve");
        form(bobAdmin).formParam("username", "ghost").post(base + "/blockuser").then().statusCode(404).body("error_code", equalTo("ENOUSER"));
        form(bobAdmin).formParam("username", "carol").post(base + "/blockuser").then().statusCode(400);

        // Generate ACLs: success, and it says nothing was needed.
        form(bobAdmin).post(base + "/git/generateacls").then().statusCode(200)
                .body("message", equalTo("Project ACLs generated")).body("note", containsString("nothing was done"));
        String aclTask = form(bobAdmin).formParam("wait", "false").post(base + "/git/generateacls").then().statusCode(200)
                .extract().path("taskid");
        assertThat(awaitTask(bobAdmin, aclTask)).isEqualTo("SUCCESS");

        // Project tags: set through PATCH (tags), listed, and filtered on.
        form(bobAdmin).formParam("tags", "infra").formParam("tags", "tools,python").patch(base).then().statusCode(200)
                .body("tags", equalTo(List.of("infra", "tools", "python")));
        given().auth().oauth2(bob).get(base + "/tags").then().statusCode(200).body("total_tags", equalTo(3))
                .body("tags", equalTo(List.of("infra", "python", "tools")));
        given().auth().oauth2(bob).get(base + "/tags?pattern=t").then().body("tags", equalTo(List.of("tools")));
        given().auth().oauth2(bob).get("/api/0/projects?tags=python&namespace=" + org).then().statusCode(200)
                .body("total_projects", equalTo(1)).body("projects[0].name", equalTo("walk")).body("args.tags", equalTo(List.of("python")));
        given().auth().oauth2(bob).get("/api/0/projects?tags=nothing&namespace=" + org).then().body("total_projects", equalTo(0));
    }

    @Test
    void forkIsARealGitCopyClonedWithGit() throws Exception {
        registerUsers();
        String org = Fixtures.uniqueOrg("fork");
        membership.org(org, 90);
        membership.role(org, 1, "owner");
        String ada = Fixtures.owner(90);
        form(ada).formParam("name", "origin").formParam("description", "the parent").formParam("namespace", org)
                .formParam("wait", "true").post("/api/0/new").then().statusCode(200);
        Git adaGit = new Git(ada);
        Path dir = Seed.pushedMain(adaGit, org, "origin");
        adaGit.out(dir, "tag", "v1");
        adaGit.out(dir, "push", "origin", "v1", "main:dev");
        String head = adaGit.out(dir, "rev-parse", "HEAD");

        // eve is no member of the organization: she forks the public project.
        String eve = token(3, "eve", 90, "none");
        form(eve).formParam("repo", "origin").formParam("namespace", org).formParam("wait", "true").post("/api/0/fork")
                .then().statusCode(200).body("message", equalTo("Repo \"" + org + "/origin\" cloned to \"eve/origin\""));
        String forkPath = "/api/0/" + org + "/origin--fork--eve";
        given().auth().oauth2(eve).get(forkPath).then().statusCode(200)
                .body("name", equalTo("origin")).body("fullname", equalTo("forks/eve/" + org + "/origin"))
                .body("url_path", equalTo("fork/eve/" + org + "/origin")).body("user.name", equalTo("eve"))
                .body("parent.name", equalTo("origin")).body("parent.user.name", equalTo("ada"))
                .body("parent.parent", nullValue()).body("description", equalTo("the parent"));
        given().auth().oauth2(eve).get(forkPath + "/git/branches?with_commits=1").then()
                .body("branches.main", equalTo(head)).body("branches.dev", equalTo(head));
        given().auth().oauth2(eve).get(forkPath + "/git/tags").then().body("tags", equalTo(List.of("v1")));

        // The stock git command clones the fork, and the fork's owner pushes to it (the gateway gives her
        // the owner role through her admin ACL on the fork).
        String eveOnFork = token(3, "eve", 90, "owner");
        Git eveGit = new Git(eveOnFork);
        Path work = Git.tempDir();
        eveGit.run(work, "clone", Fixtures.url(org, "origin--fork--eve"), "mine").ok();
        Path clone = work.resolve("mine");
        assertThat(Files.readString(clone.resolve("a.txt"))).isEqualTo("one\ntwo\nthree\n");
        assertThat(eveGit.out(clone, "rev-parse", "HEAD")).isEqualTo(head);
        Git.write(clone.resolve("b.txt"), "mine\n");
        eveGit.out(clone, "add", ".");
        eveGit.out(clone, "commit", "-m", "in the fork");
        eveGit.out(clone, "push", "origin", "main");
        // The parent is untouched: the fork owns its objects.
        given().auth().oauth2(ada).get("/api/0/" + org + "/origin/git/branches?with_commits=1").then().body("branches.main", equalTo(head));

        // Listed as a fork, filtered by fork and by owner.
        given().auth().oauth2(eve).get("/api/0/projects?fork=true&namespace=" + org).then().statusCode(200)
                .body("total_projects", equalTo(1)).body("projects[0].url_path", equalTo("fork/eve/" + org + "/origin"))
                .body("args.fork", equalTo(true));
        given().auth().oauth2(eve).get("/api/0/projects?fork=false&namespace=" + org).then().body("projects.name", equalTo(List.of("origin")));
        given().auth().oauth2(eve).get("/api/0/projects?owner=eve&namespace=" + org).then().body("total_projects", equalTo(1));
        given().auth().oauth2(eve).get("/api/0/projects?owner=!eve&namespace=" + org).then().body("projects.name", equalTo(List.of("origin")));
        given().auth().oauth2(eve).get("/api/0/projects?username=eve&namespace=" + org).then().body("projects.name", hasItem("origin"));
        // The fork's owner holds admin access, which the gateway learns.
        long forkId = ((Number) given().auth().oauth2(eve).get(forkPath).then().extract().path("id")).longValue();
        List<JsonObject> access = Outbox.events(pool, forkId, "repo.access_changed");
        assertThat(access.get(access.size() - 1).getJsonObject("data").getJsonObject("users").getMap()).containsEntry("eve", "admin");

        // Refusals: twice, unknown parent, private parent for outsiders, another user's fork by a non-admin.
        form(eve).formParam("repo", "origin").formParam("namespace", org).post("/api/0/fork").then().statusCode(409);
        form(eve).formParam("repo", "nothing").formParam("namespace", org).post("/api/0/fork").then().statusCode(404)
                .body("error_code", equalTo("ENOPROJECT"));
        form(eve).formParam("namespace", org).post("/api/0/fork").then().statusCode(400).body("error", equalTo("repo: this field is required"));
        Fixtures.createRepo(ada, org, "secret", true);
        form(eve).formParam("repo", "secret").formParam("namespace", org).post("/api/0/fork").then().statusCode(404);
        form(eve).formParam("repo", "origin").formParam("namespace", org).formParam("username", "carol").post("/api/0/fork")
                .then().statusCode(403).body("error_code", equalTo("ENOTHIGHENOUGH"));

        // wait=false: a task; the member forks the private project, and the fork is private too.
        String bob = token(2, "bob", 90, "member");
        membership.role(org, 2, "member");
        String task = form(bob).formParam("repo", "secret").formParam("namespace", org).formParam("wait", "false")
                .post("/api/0/fork").then().statusCode(200).body("message", equalTo("Project forking queued")).extract().path("taskid");
        assertThat(awaitTask(bob, task)).isEqualTo("SUCCESS");
        given().auth().oauth2(bob).get("/api/v1/repos/" + org + "/secret--fork--bob").then().statusCode(200).body("data.is_private", equalTo(true));

        // The parent is made private later; eve's fork stays public, but no longer shows the parent to
        // those who may not read it (its description, admins and ACLs), while its organization's owner sees it.
        given().auth().oauth2(ada).contentType("application/json").body(Map.of("is_private", true))
                .patch("/api/v1/repos/" + org + "/origin").then().statusCode(200);
        given().auth().oauth2(eve).get(forkPath).then().statusCode(200).body("parent", nullValue());
        given().auth().oauth2(eve).get("/api/0/projects?fork=true&namespace=" + org).then().statusCode(200)
                .body("projects.url_path", hasItem("fork/eve/" + org + "/origin")).body("projects[0].parent", nullValue());
        given().auth().oauth2(ada).get("/internal/pagure/projects?owner=eve&per_page=100").then().statusCode(200)
                .body("data.projects.url_path", hasItem("fork/eve/" + org + "/origin"))
                .body("data.projects.find { it.url_path == 'fork/eve/" + org + "/origin' }.parent", nullValue());
        given().auth().oauth2(ada).get(forkPath).then().statusCode(200).body("parent.name", equalTo("origin"));
    }

    @Test
    void defaultNamespaceProjectsShowNoNamespace() {
        registerUsers();
        membership.org("pagure", 95);
        membership.role("pagure", 2, "member");
        String name = "top" + System.nanoTime() % 1_000_000;
        String bob = token(2, "bob", 95, "member");
        form(bob).formParam("name", name).formParam("description", "top level").post("/api/0/new").then().statusCode(200);
        given().auth().oauth2(bob).get("/api/0/pagure/" + name).then().statusCode(200)
                .body("namespace", nullValue()).body("fullname", equalTo(name)).body("url_path", equalTo(name));
        given().auth().oauth2(bob).get("/api/0/projects?pattern=" + name).then().body("projects[0].namespace", nullValue());
    }
}
