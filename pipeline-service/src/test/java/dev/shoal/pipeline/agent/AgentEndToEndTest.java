package dev.shoal.pipeline.agent;

import static dev.shoal.pipeline.support.Fixtures.asUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.Fixtures.AgentCreds;
import dev.shoal.pipeline.support.GatewayStandIn;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the real ci-agent as a separate process (its main class, on this JVM's class path) against
 * the service, through a stand-in of the gateway, with a real bare git repository as clone URL.
 */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class AgentEndToEndTest {

    @Inject
    Fixtures fixtures;

    @Test
    void agentRunsStepsStreamsLogsAndReportsExitCodes() throws Exception {
        String suite = "e2e" + UUID.randomUUID().toString().substring(0, 6);
        Repo repo = fixtures.repo("agent", "e2e-" + suite);
        String sha = GitRepos.commit(repo, "main", Map.of(
                "hello.txt", "hello from the repository\n",
                ".shoal.yml", Fixtures.shoalYml(suite, """
                  slow:
                    image: alpine:3.20
                    commands:
                      - cat hello.txt
                      - echo one; sleep 2; echo two
                      - echo "commit=$CI_COMMIT branch=$CI_BRANCH repo=$CI_REPO step=$CI_STEP_NAME"
                  fails:
                    commands:
                      - echo about to fail
                      - exit 3
                      - echo never printed
                  after-failure:
                    commands: [echo skipped]
                  on-failure:
                    commands: [echo cleaning up]
                    when:
                      status: [failure]
                """)));
        Fixtures.trigger(repo, "main");
        AgentCreds agent = Fixtures.registerAgent("e2e-" + suite, Map.of("suite", suite));
        Path workdir = Files.createTempDirectory("shoal-agent-e2e");
        String base = "/api/v1/repos/agent/" + repo.name() + "/pipelines/1";

        try (GatewayStandIn gateway = new GatewayStandIn(RestAssured.port, fixtures::internalAgentJwt)) {
            Process process = startAgent(gateway, agent, workdir, Map.of());
            try {
                // While the slow step sleeps, "one" is already in the stored log and "two" is not.
                Waits.until(Duration.ofSeconds(60), () -> stepLog(base + "/steps/1/log"),
                        log -> log.contains("\none\n") && !log.contains("\ntwo\n"),
                        "a line of the running step readable before the step finished");
                JsonPath running = asUser().get(base).jsonPath();
                assertThat(running.getString("status")).isEqualTo("running");
                assertThat(running.getString("steps[0].status")).isEqualTo("running");

                JsonPath done = finished(base);
                assertThat(done.getString("status")).isEqualTo("failure");
                assertThat(done.getList("steps.status")).containsExactly("success", "failure", "skipped", "success");
                assertThat(done.getInt("steps[0].exit_code")).isZero();
                assertThat(done.getInt("steps[1].exit_code")).isEqualTo(3);
                assertThat(done.getString("steps[0].started_at")).isNotNull();
                assertThat(done.getString("finished_at")).isNotNull();

                String slowLog = asUser().get(base + "/steps/1/log").asString();
                assertThat(slowLog).contains("hello from the repository", "\none\n", "\ntwo\n",
                        "commit=" + sha + " branch=main repo=agent/" + repo.name() + " step=slow",
                        "image alpine:3.20 not used: no Docker engine answers");
                String failLog = asUser().get(base + "/steps/2/log").asString();
                assertThat(failLog).contains("+ exit 3", "about to fail").doesNotContain("never printed");
                assertThat(asUser().get(base + "/steps/4/log").asString()).contains("cleaning up");

                // A second pipeline that succeeds; the workspace of the first is gone.
                GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite, "  ok:\n    commands: [test -f hello.txt]\n")));
                Fixtures.trigger(repo, "main");
                String second = "/api/v1/repos/agent/" + repo.name() + "/pipelines/2";
                assertThat(finished(second).getString("status")).isEqualTo("success");
                // The agent reports the status first and then removes the workspace.
                Waits.until(Duration.ofSeconds(5), () -> entries(workdir), List::isEmpty, "the workspaces removed");
            } finally {
                process.destroy();
                process.waitFor();
            }
        }
        assertThat(new File(workdir.toString())).exists();
    }

    /**
     * Issue 25: with no container engine and no working sandbox (bwrap pointed at a path that does
     * not exist) and the unsafe switch off, the agent runs nothing and the pipeline's error says why.
     */
    @Test
    void withoutASandboxTheAgentRefusesAndThePipelineErrorSaysWhy() throws Exception {
        String suite = "nosb" + UUID.randomUUID().toString().substring(0, 6);
        Repo repo = fixtures.repo("agent", "e2e-" + suite);
        Path workdir = Files.createTempDirectory("shoal-agent-nosandbox");
        Path marker = workdir.resolveSibling(workdir.getFileName() + ".ran");
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml(suite,
                "  build:\n    commands: [touch " + marker + "]\n")));
        Fixtures.trigger(repo, "main");
        AgentCreds agent = Fixtures.registerAgent("e2e-" + suite, Map.of("suite", suite));
        String base = "/api/v1/repos/agent/" + repo.name() + "/pipelines/1";
        try (GatewayStandIn gateway = new GatewayStandIn(RestAssured.port, fixtures::internalAgentJwt)) {
            Process process = startAgent(gateway, agent, workdir, Map.of("SHOAL_AGENT_BWRAP", "/nonexistent/bwrap"));
            try {
                JsonPath done = finished(base);
                assertThat(done.getString("status")).isEqualTo("error");
                assertThat(done.getString("error")).contains("the agent refused to run this pipeline",
                        "no bubblewrap at /nonexistent/bwrap", "SHOAL_AGENT_UNSAFE_HOST_STEPS=true");
                assertThat(done.getString("steps[0].status")).isEqualTo("failure");
                assertThat(asUser().get(base + "/steps/1/log").asString()).contains("the agent refused to run this pipeline");
                assertThat(marker).doesNotExist();
                assertThat(process.isAlive()).as("the agent keeps polling").isTrue();
            } finally {
                process.destroy();
                process.waitFor();
            }
        }
    }

    private static String stepLog(String path) {
        var answer = asUser().get(path);
        return answer.statusCode() == 200 ? answer.asString() : "";
    }

    /** The pipeline at {@code path} once it has finished (success, failure or error). */
    private static JsonPath finished(String path) {
        return Waits.until(Duration.ofSeconds(60), () -> asUser().get(path).jsonPath(),
                pipeline -> List.of("success", "failure", "error").contains(pipeline.getString("status")),
                "pipeline " + path + " finished");
    }

    private static List<Path> entries(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real agent on this JVM's class path; its token in a file only this user can read. */
    private static Process startAgent(GatewayStandIn gateway, AgentCreds agent, Path workdir, Map<String, String> extra)
            throws Exception {
        Path tokenFile = Files.createTempFile("shoal-agent-token", "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tokenFile, agent.token());
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.shoal.agent.AgentMain");
        builder.environment().put("SHOAL_URL", gateway.url());
        builder.environment().put("SHOAL_AGENT_TOKEN_FILE", tokenFile.toString());
        builder.environment().put("SHOAL_AGENT_WORKDIR", workdir.toString());
        builder.environment().put("SHOAL_AGENT_POLL_WAIT", "2");
        builder.environment().put("SHOAL_AGENT_HEARTBEAT", "1s");
        builder.environment().putAll(extra);
        builder.redirectErrorStream(true).redirectOutput(workdir.resolveSibling(workdir.getFileName() + ".log").toFile());
        return builder.start();
    }
}
