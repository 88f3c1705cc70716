package dev.shoal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a pull request pipeline with the local backend against a real git repository and an HTTP
 * stand-in for pipeline-service's agent API (the service does not run in this module's tests; it
 * records what the agent sends, as the service stores it).
 */
class PipelineRunnerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<Long, StringBuilder> logs = new ConcurrentHashMap<>();
    private final List<String> statuses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/ci/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.endsWith("/log")) {
                long step = Long.parseLong(path.split("/")[5]);
                logs.computeIfAbsent(step, k -> new StringBuilder()).append(body);
            } else {
                statuses.add(path + " " + MAPPER.readTree(body).path("status").asText());
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void pullRequestVariablesReachTheStepAndUnusedRegistryCredentialsAreSaid() throws Exception {
        Path bare = tmp.resolve("repo.git");
        String commit = commitRepository(bare);
        Path workdir = tmp.resolve("work");
        AgentConfig config = new AgentConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "t", workdir,
                Map.of("os", "linux"), 0, Duration.ofMinutes(1), Duration.ofSeconds(5));
        ObjectNode work = (ObjectNode) MAPPER.readTree("""
                {"pipeline_id": 7, "number": 2, "commit_node": "%s", "branch": "feature/x", "event": "pull_request",
                 "clone_url": "file://%s", "clone_token": "", "org": "acme", "repo": "app",
                 "steps": [{"id": 71, "number": 1, "name": "show", "image": "ghcr.io/acme/builder:1",
                            "commands": ["echo branch=$CI_COMMIT_BRANCH source=$CI_COMMIT_SOURCE_BRANCH pr=$DRONE_PULL_REQUEST own=$OWN",
                                         "ls -a $CI_WORKSPACE | grep -c docker || true"],
                            "environment": {"OWN": "mine", "CI_COMMIT_SOURCE_BRANCH": "step-wins"}, "status": "pending"}],
                 "ci_env": {"CI": "true", "CI_COMMIT_BRANCH": "main", "CI_COMMIT_SOURCE_BRANCH": "feature/x",
                            "DRONE_PULL_REQUEST": "3"},
                 "pull_request": {"number": 3, "source_branch": "feature/x", "target_branch": "main", "title": "t",
                                  "from_fork": false},
                 "registries": [{"address": "ghcr.io", "username": "bot", "password": "ghcr-s3cret"}]}
                """.formatted(commit, bare));
        new PipelineRunner(config, new ShoalApi(config), false).run(work);

        String log = logs.get(71L).toString();
        assertThat(log).contains("registry credentials for ghcr.io are not used: no Docker engine answers on this agent");
        // The server's ci_env beats the agent's default (a PR's commit branch is its target); the step's own beat both.
        assertThat(log).contains("branch=main source=step-wins pr=3 own=mine");
        assertThat(log).doesNotContain("ghcr-s3cret").doesNotContain("bot:");
        assertThat(statuses).contains("/api/v1/ci/steps/71/status success", "/api/v1/ci/pipelines/7/status success");
        try (Stream<Path> left = Files.list(workdir)) {
            assertThat(left).isEmpty(); // workspace (and any credentials beside it) removed
        }
    }

    private static String commitRepository(Path bare) throws Exception {
        git(bare.getParent(), "init", "--quiet", "--bare", "-b", "main", bare.toString());
        Path w = bare.getParent().resolve("w");
        git(bare.getParent(), "clone", "--quiet", bare.toString(), w.toString());
        Files.writeString(w.resolve("README"), "hi");
        git(w, "add", "-A");
        git(w, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "c");
        git(w, "push", "--quiet", "origin", "HEAD:refs/heads/main");
        return git(w, "rev-parse", "HEAD").trim();
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    @Test
    void dockerRunsGetTheConfigDirectoryOutsideTheMountedWorkspace() throws Exception {
        JsonNode work = MAPPER.readTree("{\"registries\": [{\"address\": \"ghcr.io\", \"username\": \"u\", \"password\": \"p\"}]}");
        Path root = tmp.resolve("pipeline-1");
        Path workspace = Files.createDirectories(root.resolve("workspace"));
        Path dir = DockerConfig.write(root.resolve("docker"), DockerConfig.registries(work));
        assertThat(dir.startsWith(workspace)).isFalse();
        PipelineRunner.deleteTree(root);
        assertThat(Files.exists(dir)).isFalse();
    }
}
