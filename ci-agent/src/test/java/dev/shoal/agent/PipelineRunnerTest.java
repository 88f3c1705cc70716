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
import java.util.UUID;
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
    private final List<String> errors = new CopyOnWriteArrayList<>();

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
                JsonNode json = MAPPER.readTree(body);
                statuses.add(path + " " + json.path("status").asText());
                if (json.has("error")) {
                    errors.add(json.path("error").asText());
                }
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
        runner(config).run(work);

        String log = logs.get(71L).toString();
        assertThat(log).contains("registry credentials for ghcr.io are not used: no Docker engine answers on this agent, "
                + "steps run in the bubblewrap sandbox");
        // The server's ci_env beats the agent's default (a PR's commit branch is its target); the step's own beat both.
        assertThat(log).contains("branch=main source=step-wins pr=3 own=mine");
        assertThat(log).doesNotContain("ghcr-s3cret").doesNotContain("bot:");
        assertThat(statuses).contains("/api/v1/ci/steps/71/status success", "/api/v1/ci/pipelines/7/status success");
        try (Stream<Path> left = Files.list(workdir)) {
            assertThat(left).isEmpty(); // workspace (and any credentials beside it) removed
        }
    }

    /** A runner with the real bubblewrap sandbox of this machine (CI installs bubblewrap). */
    private PipelineRunner runner(AgentConfig config) {
        Sandbox sandbox = new Sandbox(config.bwrap(), List.of(), config.sandboxNetwork(), config.slirp4netns());
        assertThat(sandbox.probe(tmp.resolve("probe"))).as("bubblewrap works here (install the bubblewrap package)").isEmpty();
        return new PipelineRunner(config, new ShoalApi(config), false, sandbox, null);
    }

    private AgentConfig config(Path workdir, String token, String bwrap, boolean unsafe) {
        return new AgentConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), token, workdir,
                Map.of(), 0, Duration.ofMinutes(1), Duration.ofSeconds(5), Path.of(bwrap), List.of(), unsafe);
    }

    private ObjectNode work(String commit, Path bare, String cloneToken, String commands) throws IOException {
        return (ObjectNode) MAPPER.readTree("""
                {"pipeline_id": 9, "number": 1, "commit_node": "%s", "branch": "main", "event": "push",
                 "clone_url": "file://%s", "clone_token": "%s", "org": "acme", "repo": "app",
                 "steps": [{"id": 91, "number": 1, "name": "probe", "image": null, "commands": %s,
                            "environment": {"MY_SECRET": "it's \\\"quoted\\\" $HOME"}, "status": "pending"},
                           {"id": 92, "number": 2, "name": "second", "commands": ["echo second ran"], "environment": {},
                            "status": "pending"}],
                 "ci_env": {"CI": "true"}}
                """.formatted(commit, bare, cloneToken, commands));
    }

    @Test
    void sandboxedStepSeesOnlyItsWorkspaceAndNoAgentSecretReachesTheLog() throws Exception {
        Path bare = tmp.resolve("repo.git");
        String commit = commitRepository(bare);
        Path workdir = tmp.resolve("work");
        // What a step must not reach: a file beside the workspaces (another pipeline's, the token file), the agent's process.
        Path other = Files.createDirectories(workdir.resolve("pipeline-1-other/workspace"));
        Files.writeString(other.resolve("secret.txt"), "other pipeline's file");
        String token = "agent-token-" + UUID.randomUUID();
        Path tokenFile = Files.writeString(tmp.resolve("agent-token"), token);
        long agentPid = ProcessHandle.current().pid();
        AgentConfig config = config(workdir, token, "/usr/bin/bwrap", false);
        String commands = MAPPER.writeValueAsString(List.of(
                "id -u; echo \"workspace=$CI_WORKSPACE pwd=$(pwd) home=$HOME\"; echo \"secret=$MY_SECRET\"",
                "cat README && touch made-here",
                "cat " + other + "/secret.txt || echo OTHER-BLOCKED",
                "cat " + tokenFile + " || echo TOKENFILE-BLOCKED",
                "ls " + workdir + " || echo WORKDIR-BLOCKED",
                "touch /usr/evil 2>/dev/null || echo USR-READONLY",
                "echo processes=$(ls -d /proc/[0-9]* | wc -l)",
                "cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline | tr '\\0' '\\n' | grep -c SHOAL_ || echo NO-SHOAL-VARS",
                "kill -9 " + agentPid + " || echo KILL-BLOCKED",
                "echo " + token + " clone-" + "s3cr3t-clone"));
        runner(config).run(work(commit, bare, "s3cr3t-clone", commands));

        String log = logs.get(91L).toString();
        assertThat(log).contains("1000\n", "workspace=/workspace pwd=/workspace home=/tmp", "secret=it's \"quoted\" $HOME",
                "hi", "OTHER-BLOCKED", "TOKENFILE-BLOCKED", "WORKDIR-BLOCKED", "USR-READONLY", "NO-SHOAL-VARS",
                "KILL-BLOCKED", "******** clone-********");
        assertThat(log).doesNotContain(token).doesNotContain("other pipeline's file").doesNotContain("s3cr3t-clone");
        // bwrap's init, sh, ls, wc: nothing of the host
        assertThat(Integer.parseInt(log.replaceAll("(?s).*processes=(\\d+).*", "$1"))).isLessThan(8);
        assertThat(logs.get(92L).toString()).contains("second ran");
        assertThat(statuses).contains("/api/v1/ci/steps/91/status success", "/api/v1/ci/pipelines/9/status success");
        assertThat(Files.readString(other.resolve("secret.txt"))).isEqualTo("other pipeline's file");
    }

    /**
     * The isolated step network: the step has an interface and a default route from slirp4netns and
     * slirp4netns's resolver, but no service listening on this machine's loopback answers it (here a
     * server of the test's and the agent API stand-in; in a stack, PostgreSQL and Kafka), neither at
     * 127.0.0.1 nor through slirp4netns's host alias 10.0.2.2. No traffic leaves this machine.
     */
    @Test
    void isolatedStepsHaveANetworkButNotTheHostsLoopback() throws Exception {
        Path bare = tmp.resolve("repo.git");
        String commit = commitRepository(bare);
        Path workdir = tmp.resolve("work");
        AgentConfig config = config(workdir, "agent-token-x", "/usr/bin/bwrap", false);
        assertThat(config.sandboxNetwork()).isEqualTo(Sandbox.Network.ISOLATED);
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        try (java.net.ServerSocket local = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!local.isClosed()) {
                    try (java.net.Socket ignored = local.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int port = local.getLocalPort();
            int api = server.getAddress().getPort();
            List<String> probes = new java.util.ArrayList<>(List.of(
                    "cat /proc/net/route /etc/resolv.conf",
                    probe("127.0.0.1", port, "LOOPBACK"),
                    probe("10.0.2.2", port, "HOSTALIAS"),
                    probe("127.0.0.1", api, "AGENTAPI"),
                    probe("10.0.2.2", api, "AGENTAPIALIAS")));
            // This machine's own non-loopback address, if it has one: a loopback-bound service is not there either.
            String own = ownAddress();
            if (own != null) {
                probes.add(probe(own, port, "OWNADDRESS"));
            }
            String commands = MAPPER.writeValueAsString(probes);
            runner(config).run(work(commit, bare, "", commands));
        }

        String log = logs.get(91L).toString();
        // slirp4netns's tap0 with the default route (destination 00000000), its DNS forwarder as the only resolver
        assertThat(log).containsPattern("(?m)^tap0\\s+00000000\\s+0202000A").contains("nameserver 10.0.2.3");
        assertThat(log.lines().filter(l -> l.startsWith("nameserver")).toList()).containsExactly("nameserver 10.0.2.3");
        assertThat(log).contains("\nLOOPBACK-BLOCKED\n", "\nHOSTALIAS-BLOCKED\n", "\nAGENTAPI-BLOCKED\n",
                "\nAGENTAPIALIAS-BLOCKED\n").doesNotContainPattern("(?m)^[A-Z]+-REACHED$");
        if (ownAddress() != null) {
            assertThat(log).contains("\nOWNADDRESS-BLOCKED\n");
        }
        assertThat(accepted).hasValue(0);
        assertThat(statuses).contains("/api/v1/ci/steps/91/status success", "/api/v1/ci/pipelines/9/status success");
        try (Stream<Path> left = Files.list(workdir)) {
            assertThat(left).isEmpty(); // step directory and slirp4netns's handshake files removed
        }
        assertThat(ProcessHandle.allProcesses().filter(h -> h.info().command().orElse("").endsWith("slirp4netns")
                && h.parent().map(pp -> pp.pid() == ProcessHandle.current().pid()).orElse(false)))
                .as("slirp4netns stopped with the step").isEmpty();
    }

    /** An IPv4 address of this machine other than loopback, or null: never an address of another machine. */
    private static String ownAddress() throws IOException {
        return java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .map(java.net.InetAddress::getHostAddress).findFirst().orElse(null);
    }

    /** A step command that tries a TCP connection (bash's /dev/tcp, 3 s at most) and says whether it got one. */
    private static String probe(String host, int port, String name) {
        return "if timeout 3 bash -c '</dev/tcp/" + host + "/" + port + "' 2>/dev/null; then echo " + name
                + "-REACHED; else echo " + name + "-BLOCKED; fi";
    }

    @Test
    void withTheIsolatedNetworkAndNoSlirp4netnsThePipelineIsRefused() throws Exception {
        Path bare = tmp.resolve("repo.git");
        String commit = commitRepository(bare);
        Path workdir = tmp.resolve("work");
        AgentConfig config = new AgentConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "t", workdir,
                Map.of(), 0, Duration.ofMinutes(1), Duration.ofSeconds(5), Path.of("/usr/bin/bwrap"), List.of(), false,
                Sandbox.Network.ISOLATED, tmp.resolve("no-slirp4netns"));
        Sandbox sandbox = new Sandbox(config.bwrap(), List.of(), config.sandboxNetwork(), config.slirp4netns());
        String why = sandbox.probe(workdir).orElseThrow();
        Path marker = tmp.resolve("ran");
        new PipelineRunner(config, new ShoalApi(config), false, null, why)
                .run(work(commit, bare, "", MAPPER.writeValueAsString(List.of("touch " + marker))));

        assertThat(marker).doesNotExist();
        assertThat(statuses).containsExactly("/api/v1/ci/steps/91/status failure", "/api/v1/ci/pipelines/9/status error");
        assertThat(errors).singleElement().asString().contains("refused to run this pipeline",
                "no slirp4netns at " + tmp.resolve("no-slirp4netns"), "SHOAL_AGENT_SANDBOX_NETWORK=none");
    }

    @Test
    void withoutSandboxOrEngineThePipelineIsRefusedWithTheReason() throws Exception {
        Path bare = tmp.resolve("repo.git");
        String commit = commitRepository(bare);
        Path workdir = tmp.resolve("work");
        AgentConfig config = config(workdir, "agent-token-x", tmp.resolve("no-bwrap").toString(), false);
        Sandbox sandbox = new Sandbox(config.bwrap(), List.of(), config.sandboxNetwork(), config.slirp4netns());
        String why = sandbox.probe(workdir).orElseThrow();
        assertThat(why).contains("no bubblewrap at " + tmp.resolve("no-bwrap"));
        Path marker = tmp.resolve("ran");
        new PipelineRunner(config, new ShoalApi(config), false, null, why)
                .run(work(commit, bare, "", MAPPER.writeValueAsString(List.of("touch " + marker))));

        assertThat(marker).doesNotExist();
        assertThat(statuses).containsExactly("/api/v1/ci/steps/91/status failure", "/api/v1/ci/pipelines/9/status error");
        assertThat(errors).singleElement().asString()
                .contains("refused to run this pipeline: no container engine answers on this agent and the bubblewrap "
                        + "sandbox does not work here (no bubblewrap at ", "SHOAL_AGENT_UNSAFE_HOST_STEPS=true");
        assertThat(logs.get(91L).toString()).contains("refused to run this pipeline");
        try (Stream<Path> left = Files.list(workdir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theUnsafeSwitchRunsOnTheHostAndSaysSo() throws Exception {
        Path bare = tmp.resolve("repo.git");
        String commit = commitRepository(bare);
        Path marker = tmp.resolve("ran-on-host");
        AgentConfig config = config(tmp.resolve("work"), "agent-token-x", tmp.resolve("no-bwrap").toString(), true);
        new PipelineRunner(config, new ShoalApi(config), false, null, "no bubblewrap")
                .run(work(commit, bare, "", MAPPER.writeValueAsString(List.of("touch " + marker))));

        assertThat(marker).exists();
        assertThat(logs.get(91L).toString()).contains("warning: running on the host without a sandbox");
        assertThat(statuses).contains("/api/v1/ci/pipelines/9/status success");
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
