package dev.shoal.pipeline.pipeline;

import static dev.shoal.pipeline.support.Fixtures.asUser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class PipelineApiTest {

    private static final String FILE = Fixtures.shoalYml("api", """
              test:
                image: golang:1.26
                commands: [go test ./...]
              deploy:
                commands: [./deploy]
                when:
                  branch: main
            """);

    @Inject
    Fixtures fixtures;

    @Test
    void manualTriggerListGetShapes() {
        Repo repo = fixtures.repo("acme", "shapes");
        String sha = GitRepos.commit(repo, "main", Map.of(".shoal.yml", FILE));
        String base = "/api/v1/repos/acme/shapes/pipelines";

        JsonPath created = asUser().contentType(ContentType.JSON).body(Map.of("branch", "main")).post(base)
                .then().statusCode(201)
                .body("number", equalTo(1))
                .body("commit_node", equalTo(sha))
                .body("branch", equalTo("main"))
                .body("event", equalTo("manual"))
                .body("status", equalTo("pending"))
                .body("trigger_by", equalTo(5))
                .body("trigger_user.id", equalTo(5))
                .body("trigger_user.username", equalTo("chris"))
                .body("steps", hasSize(2))
                .body("steps[0].number", equalTo(1))
                .body("steps[0].name", equalTo("test"))
                .body("steps[0].image", equalTo("golang:1.26"))
                .body("steps[0].status", equalTo("pending"))
                .body("steps[1].name", equalTo("deploy"))
                .extract().jsonPath();
        assertThat(created.getMap("")).containsKeys("id", "created_at", "started_at", "finished_at").doesNotContainKey("error");
        assertThat(created.getMap("steps[0]")).containsOnlyKeys("id", "number", "name", "image", "status", "exit_code",
                "started_at", "finished_at");

        // Filters apply: on another branch the deploy step is not part of the pipeline.
        GitRepos.commit(repo, "feature", Map.of("x", "y"));
        asUser().contentType(ContentType.JSON).body(Map.of("branch", "feature")).post(base)
                .then().statusCode(201).body("number", equalTo(2)).body("steps", hasSize(1));
        asUser().contentType(ContentType.JSON).body("{}").post(base).then().statusCode(201).body("number", equalTo(3))
                .body("branch", equalTo("main"));

        JsonPath list = asUser().get(base).then().statusCode(200)
                .body("total", equalTo(3)).body("page", equalTo(1)).body("per_page", equalTo(20))
                .body("pipelines", hasSize(3)).body("pipelines[0].number", equalTo(3))
                .extract().jsonPath();
        assertThat(list.getMap("")).containsOnlyKeys("total", "page", "per_page", "pipelines");
        assertThat(list.getMap("pipelines[0]")).containsOnlyKeys("id", "number", "commit_node", "branch", "event", "status",
                "trigger_by", "trigger_user", "created_at", "started_at", "finished_at");
        assertThat(list.getString("pipelines[0].created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        asUser().queryParam("per_page", 2).queryParam("page", 2).get(base).then().statusCode(200)
                .body("total", equalTo(3)).body("pipelines", hasSize(1)).body("pipelines[0].number", equalTo(1));
        asUser().queryParam("status", "pending").get(base).then().statusCode(200).body("total", equalTo(3));
        asUser().queryParam("status", "success").get(base).then().statusCode(200).body("total", equalTo(0))
                .body("pipelines", hasSize(0));
        asUser().queryParam("status", "bogus").get(base).then().statusCode(400)
                .body("error.code", equalTo("validation_failed")).body("error.message", containsString("status must be one of"));
        asUser().queryParam("per_page", 51).get(base).then().statusCode(400).body("error.code", equalTo("validation_failed"));
        asUser().queryParam("per_page", 50).get(base).then().statusCode(200).body("per_page", equalTo(50));

        asUser().get(base + "/2").then().statusCode(200).body("number", equalTo(2)).body("branch", equalTo("feature"))
                .body("steps[0].name", equalTo("test"));
        asUser().get(base + "/99").then().statusCode(404).body("error.code", equalTo("not_found"));
        asUser().get(base + "/abc").then().statusCode(404).body("error.code", equalTo("not_found"));
        asUser().get("/api/v1/repos/acme/nope/pipelines").then().statusCode(404).body("error.code", equalTo("not_found"));
        given().get(base).then().statusCode(401).body("error.code", equalTo("unauthorized"));
    }

    @Test
    void triggerRefusesBadInput() {
        Repo repo = fixtures.repo("acme", "bad-input");
        GitRepos.commit(repo, "main", Map.of("README", "no pipeline here"));
        String base = "/api/v1/repos/acme/bad-input/pipelines";
        asUser().contentType(ContentType.JSON).body("{\"branch\": ").post(base).then().statusCode(400)
                .body("error.code", equalTo("validation_failed"));
        asUser().contentType(ContentType.JSON).body("{\"branch\": [1]}").post(base).then().statusCode(400);
        asUser().contentType(ContentType.JSON).body("{\"brunch\": \"main\"}").post(base).then().statusCode(400)
                .body("error.message", containsString("brunch"));
        asUser().contentType(ContentType.JSON).body(Map.of("branch", "../etc")).post(base).then().statusCode(400)
                .body("error.code", equalTo("validation_failed"));
        asUser().contentType(ContentType.JSON).body(Map.of("branch", "nope")).post(base).then().statusCode(404)
                .body("error.message", containsString("branch 'nope' not found"));
        asUser().contentType(ContentType.JSON).body(Map.of("branch", "main")).post(base).then().statusCode(422)
                .body("error.code", equalTo("no_pipeline_file"));
    }

    @Test
    void cancelAndRerun() {
        Repo repo = fixtures.repo("acme", "cancel");
        String sha = GitRepos.commit(repo, "main", Map.of(".shoal.yml", FILE));
        String base = "/api/v1/repos/acme/cancel/pipelines";
        int number = Fixtures.trigger(repo, "main");

        asUser().post(base + "/" + number + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("finished_at", notNullValue())
                .body("steps.status", equalTo(java.util.List.of("cancelled", "cancelled")));
        asUser().post(base + "/" + number + "/cancel").then().statusCode(409).body("error.code", equalTo("conflict"));
        asUser().post(base + "/42/cancel").then().statusCode(404);

        // A later commit does not change what a rerun runs: it uses the same commit.
        GitRepos.commit(repo, "main", Map.of("other", "change"));
        asUser().post(base + "/" + number + "/rerun").then().statusCode(201)
                .body("number", equalTo(number + 1)).body("commit_node", equalTo(sha)).body("status", equalTo("pending"))
                .body("event", equalTo("manual")).body("trigger_user.username", equalTo("chris")).body("steps", hasSize(2));
        asUser().get(base + "/" + number).then().body("status", equalTo("cancelled"));
    }

    @Test
    void unparsableFileGivesPipelineInErrorWithLine() {
        Repo repo = fixtures.repo("acme", "broken");
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", "steps:\n  a:\n    commands: [x\n  b: {\n"));
        int number = Fixtures.trigger(repo, "main");
        asUser().get("/api/v1/repos/acme/broken/pipelines/" + number).then().statusCode(200)
                .body("status", equalTo("error"))
                .body("error", containsString(".shoal.yml:"))
                .body("error", containsString("invalid YAML"))
                .body("steps", hasSize(0))
                .body("finished_at", notNullValue());
    }

    @Test
    void woodpeckerAndDroneFilesAreFoundInOrder() {
        Repo repo = fixtures.repo("acme", "dialects");
        GitRepos.commit(repo, "main", Map.of(
                ".drone.yml", "kind: pipeline\nname: d\nlabels: {suite: api}\nsteps:\n- name: drone-step\n  commands: [true]\n",
                ".woodpecker/build.yaml", "labels: {suite: api}\nsteps:\n  - name: wp-build\n    commands: [true]\n",
                ".woodpecker/lint.yaml", "labels: {suite: api}\nsteps:\n  wp-lint:\n    commands: [true]\n"));
        int first = Fixtures.trigger(repo, "main");
        asUser().get("/api/v1/repos/acme/dialects/pipelines/" + first).then()
                .body("steps.name", equalTo(java.util.List.of("build/wp-build", "lint/wp-lint")));
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", FILE));
        int second = Fixtures.trigger(repo, "main");
        asUser().get("/api/v1/repos/acme/dialects/pipelines/" + second).then()
                .body("steps.name", equalTo(java.util.List.of("test", "deploy")));
    }

    @Test
    void numbersStayUniqueUnderConcurrentTriggers() throws Exception {
        Repo repo = fixtures.repo("acme", "race");
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", FILE));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> Fixtures.trigger(repo, "main")));
            }
            Set<Integer> numbers = new java.util.TreeSet<>();
            for (var f : futures) {
                numbers.add(f.get());
            }
            assertThat(numbers).hasSize(16).first().isEqualTo(1);
            assertThat(numbers).last().isEqualTo(16);
        } finally {
            pool.shutdown();
        }
        asUser().get("/api/v1/repos/acme/race/pipelines").then().body("total", equalTo(16))
                .body("pipelines[0].error", nullValue());
    }
}
