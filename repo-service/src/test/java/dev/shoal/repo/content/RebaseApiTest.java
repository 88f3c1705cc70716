package dev.shoal.repo.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.Git;
import dev.shoal.repo.support.RepoStorageResource;
import dev.shoal.repo.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The internal rebase issue-service uses for Pagure's pull request rebase: the branch is rewritten onto its target. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class RebaseApiTest {

    @Test
    void rebasesABranchOntoItsTargetAndRefusesConflictsAndProtectedBranches() {
        String org = Fixtures.uniqueOrg("rbs");
        String token = Fixtures.owner(32);
        long id = Fixtures.createRepo(token, org, "r", false);
        Git git = new Git(token);
        Path dir = Seed.pushedMain(git, org, "r");
        String internal = "/internal/repos/" + id + "/rebase";

        git.out(dir, "checkout", "-b", "topic");
        Git.write(dir.resolve("topic.txt"), "topic\n");
        git.out(dir, "add", ".");
        git.out(dir, "commit", "-m", "topic work");
        git.out(dir, "push", "origin", "topic");
        git.out(dir, "checkout", "main");
        Git.write(dir.resolve("later.txt"), "later\n");
        git.out(dir, "add", ".");
        git.out(dir, "commit", "-m", "later on main");
        git.out(dir, "push", "origin", "main");
        String main = git.out(dir, "rev-parse", "main");

        String rebased = rebase(token, internal, "topic", "main").then().statusCode(200)
                .body("data.method", equalTo("rebase")).extract().path("data.sha");
        git.out(dir, "fetch", "origin");
        assertThat(git.out(dir, "rev-parse", "origin/topic")).isEqualTo(rebased);
        assertThat(git.out(dir, "rev-parse", "origin/topic~1")).isEqualTo(main);
        assertThat(git.out(dir, "log", "-1", "--format=%s", "origin/topic")).isEqualTo("topic work");
        assertThat(git.out(dir, "rev-parse", "origin/main")).isEqualTo(main);
        // already based on main: nothing moves
        rebase(token, internal, "topic", "main").then().statusCode(200).body("data.sha", equalTo(rebased));

        // a conflict moves nothing and names the path
        git.out(dir, "checkout", "-b", "clash", "main~1");
        Git.write(dir.resolve("later.txt"), "clash\n");
        git.out(dir, "add", ".");
        git.out(dir, "commit", "-m", "clash");
        git.out(dir, "push", "origin", "clash");
        String clash = git.out(dir, "rev-parse", "clash");
        rebase(token, internal, "clash", "main").then().statusCode(409)
                .body("error.code", equalTo("merge_conflict")).body("error.details.paths", equalTo(List.of("later.txt")));
        git.out(dir, "fetch", "origin");
        assertThat(git.out(dir, "rev-parse", "origin/clash")).isEqualTo(clash);

        rebase(token, internal, "ghost", "main").then().statusCode(404);
        rebase(token, internal, "../x", "main").then().statusCode(400);
        given().auth().oauth2(token).contentType("application/json").body(Map.of("branch", "topic"))
                .post(internal).then().statusCode(400).body("error.code", equalTo("validation_failed"));

        given().auth().oauth2(token).put("/api/v1/repos/" + org + "/r/branches/clash/protection").then().statusCode(200);
        rebase(token, internal, "clash", "main").then().statusCode(409).body("error.code", equalTo("protected_branch"));
    }

    private static io.restassured.response.Response rebase(String token, String internal, String branch, String onto) {
        return given().auth().oauth2(token).contentType("application/json").body(Map.of("branch", branch, "onto", onto))
                .post(internal);
    }
}
