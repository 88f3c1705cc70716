package dev.shoal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Runs one claimed pipeline: clones the commit into a fresh workspace, runs the steps in order
 * (a step runs when its dependencies succeeded and its {@code run_on} states include the pipeline's
 * state so far), streams output while each step runs, reports statuses, and deletes the workspace.
 */
public class PipelineRunner {

    private static final Logger LOG = Logger.getLogger(PipelineRunner.class.getName());
    private static final Set<String> HOST_ENV = Set.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "SHELL", "TERM");

    private final AgentConfig config;
    private final ShoalApi api;
    private final boolean docker;
    private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    private volatile Process current;
    private volatile long currentPipeline = -1;

    public PipelineRunner(AgentConfig config, ShoalApi api, boolean docker) {
        this.config = config;
        this.api = api;
        this.docker = docker;
    }

    /** Whether a Docker engine answers here ({@code docker info} succeeds). */
    public static boolean dockerAvailable() {
        try {
            Process p = new ProcessBuilder("docker", "info").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Called by the heartbeat thread: stop a cancelled pipeline at once. */
    /** The pipeline this runner is running now, if any (for the heartbeat). */
    public List<Long> running() {
        long pipeline = currentPipeline;
        return pipeline < 0 ? List.of() : List.of(pipeline);
    }

    /** Waits until no pipeline runs here, up to {@code timeout}; true when none runs. */
    public boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (currentPipeline >= 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    public void cancel(long pipelineId) {
        cancelled.add(pipelineId);
        if (currentPipeline == pipelineId) {
            kill(current);
        }
    }

    public void run(JsonNode work) throws InterruptedException {
        long pipelineId = work.path("pipeline_id").asLong();
        currentPipeline = pipelineId;
        Path root = null;
        try {
            Files.createDirectories(config.workdir());
            // root/workspace is the clone (mounted into containers); root/docker holds registry credentials.
            root = Files.createTempDirectory(config.workdir(), "pipeline-" + pipelineId + "-");
            Path workspace = Files.createDirectory(root.resolve("workspace"));
            List<DockerConfig.Registry> registries = DockerConfig.registries(work);
            Path dockerConfig = docker && !registries.isEmpty() ? DockerConfig.write(root.resolve("docker"), registries) : null;
            String result = runSteps(work, workspace, registries, dockerConfig);
            if (result != null && !cancelled.contains(pipelineId)) {
                api.pipelineStatus(pipelineId, result, Instant.now());
            }
        } catch (ShoalApi.NotHeldException e) {
            LOG.info("pipeline " + pipelineId + " stopped: " + e.getMessage());
        } catch (IOException e) {
            LOG.warning("pipeline " + pipelineId + " failed: " + e.getMessage());
            try {
                api.pipelineStatus(pipelineId, "error", Instant.now());
            } catch (IOException ignored) {
                // The lease will expire and the server puts the pipeline back in the queue.
            }
        } finally {
            currentPipeline = -1;
            cancelled.remove(pipelineId);
            deleteTree(root);
        }
    }

    /** The pipeline's final status, or null when it was cancelled or taken away. */
    private String runSteps(JsonNode work, Path workspace, List<DockerConfig.Registry> registries, Path dockerConfig)
            throws IOException, InterruptedException {
        long pipelineId = work.path("pipeline_id").asLong();
        List<JsonNode> steps = new ArrayList<>();
        work.path("steps").forEach(steps::add);
        steps.sort(Comparator.comparingInt(s -> s.path("number").asInt()));
        if (steps.isEmpty()) {
            return "success";
        }
        if (!clone(work, workspace, steps.get(0).path("id").asLong(), registries)) {
            for (JsonNode step : steps) {
                api.stepStatus(step.path("id").asLong(), step == steps.get(0) ? "failure" : "skipped",
                        step == steps.get(0) ? 128 : null, null, Instant.now());
            }
            return "failure";
        }
        Map<String, String> outcome = new HashMap<>();
        boolean failed = false;
        for (JsonNode step : steps) {
            if (cancelled.contains(pipelineId)) {
                return null;
            }
            String name = step.path("name").asText();
            List<String> runOn = strings(step.path("run_on"));
            if (runOn.isEmpty()) {
                runOn = List.of("success");
            }
            boolean depsOk = strings(step.path("depends_on")).stream().allMatch(d -> "success".equals(outcome.get(d)));
            boolean run = runOn.contains(failed ? "failure" : "success") && (depsOk || runOn.contains("failure"));
            long stepId = step.path("id").asLong();
            if (!run) {
                api.stepStatus(stepId, "skipped", null, null, Instant.now());
                outcome.put(name, "skipped");
                continue;
            }
            String status = runStep(work, step, workspace, dockerConfig);
            if (status == null) {
                return null;
            }
            outcome.put(name, status);
            if (!status.equals("success")) {
                failed = true;
            }
        }
        return failed ? "failure" : "success";
    }

    private boolean clone(JsonNode work, Path workspace, long firstStepId, List<DockerConfig.Registry> registries)
            throws InterruptedException {
        String url = work.path("clone_url").asText();
        String commit = work.path("commit_node").asText();
        Map<String, String> credentials = cloneCredentials(work.path("clone_token").asText(""));
        try (LogShipper log = new LogShipper("clone", text -> api.appendLog(firstStepId, text))) {
            log.line("+ git clone " + url + " && git checkout " + commit);
            int code = exec(List.of("git", "clone", "--quiet", "--no-checkout", url, workspace.toString()), credentials, log,
                    workspace.getParent());
            if (code == 0) {
                code = exec(List.of("git", "-C", workspace.toString(), "checkout", "--quiet", "--detach", commit), Map.of(), log,
                        workspace.getParent());
            }
            if (code != 0) {
                log.line("clone failed with exit code " + code);
                return false;
            }
            if (!registries.isEmpty()) {
                // Addresses only: credentials never reach a log.
                List<String> addresses = registries.stream().map(DockerConfig.Registry::address).toList();
                log.line(docker ? "registry credentials for " + String.join(", ", addresses) + " are used to pull step images"
                        : "registry credentials for " + String.join(", ", addresses) + " are not used: no Docker engine "
                        + "answers on this agent, steps run on the host");
            }
            return true;
        }
    }

    /**
     * The pipeline's clone credential as git configuration passed through the environment: never on
     * the command line (other users' {@code ps}) nor in the workspace's {@code .git/config} (the steps).
     */
    static Map<String, String> cloneCredentials(String token) {
        if (token.isEmpty()) {
            return Map.of();
        }
        String basic = Base64.getEncoder().encodeToString(("shoal-ci:" + token).getBytes(StandardCharsets.UTF_8));
        return Map.of("GIT_CONFIG_COUNT", "1", "GIT_CONFIG_KEY_0", "http.extraHeader",
                "GIT_CONFIG_VALUE_0", "Authorization: Basic " + basic, "GIT_TERMINAL_PROMPT", "0");
    }

    private int exec(List<String> command, Map<String, String> env, LogShipper log, Path dir) throws InterruptedException {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process p = builder.start();
            log.pump(p.getInputStream(), "git");
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                kill(p);
                return 124;
            }
            return p.exitValue();
        } catch (IOException e) {
            log.line("cannot run " + command.get(0) + ": " + e.getMessage());
            return 127;
        }
    }

    /** Runs one step; answers its final status, or null when the pipeline was cancelled meanwhile. */
    private String runStep(JsonNode work, JsonNode step, Path workspace, Path dockerConfig)
            throws IOException, InterruptedException {
        long pipelineId = work.path("pipeline_id").asLong();
        long stepId = step.path("id").asLong();
        Instant started = Instant.now();
        api.stepStatus(stepId, "running", null, started, null);
        String image = step.path("image").isTextual() ? step.path("image").asText() : null;
        Map<String, String> env = environment(work, step, workspace);
        String script = script(strings(step.path("commands")));
        int exit;
        boolean timedOut = false;
        try (LogShipper log = new LogShipper("step-" + stepId, text -> api.appendLog(stepId, text))) {
            List<String> command;
            ProcessBuilder builder;
            if (docker && image != null && !image.isBlank()) {
                command = new ArrayList<>(List.of("docker", "run", "--rm", "-v", workspace + ":/workspace", "-w", "/workspace"));
                env.forEach((k, v) -> {
                    command.add("-e");
                    command.add(k + "=" + v);
                });
                command.add(image);
                if (!script.isEmpty()) {
                    command.addAll(List.of("sh", "-c", script));
                }
                builder = new ProcessBuilder(command);
                builder.environment().keySet().removeIf(k -> !HOST_ENV.contains(k));
                if (dockerConfig != null) {
                    // For the docker client's pulls only; the container's environment is the -e list above.
                    builder.environment().put("DOCKER_CONFIG", dockerConfig.toString());
                }
            } else {
                if (image != null && !image.isBlank()) {
                    log.line("image " + image + " not used: no Docker engine answers on this agent, running on the host");
                }
                builder = new ProcessBuilder("sh", "-c", script.isEmpty() ? "true" : script);
                builder.environment().keySet().removeIf(k -> !HOST_ENV.contains(k));
                builder.environment().putAll(env);
            }
            builder.directory(workspace.toFile()).redirectErrorStream(true);
            Process process = builder.start();
            current = process;
            log.pump(process.getInputStream(), "step-" + stepId);
            if (cancelled.contains(pipelineId)) {
                kill(process);
            }
            if (!process.waitFor(config.stepTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                kill(process);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            current = null;
            exit = process.isAlive() ? 137 : process.exitValue();
            if (timedOut) {
                log.line("step timed out after " + format(config.stepTimeout()) + " and was stopped");
            }
        }
        if (cancelled.contains(pipelineId)) {
            return null;
        }
        String status = exit == 0 && !timedOut ? "success" : "failure";
        api.stepStatus(stepId, status, exit, started, Instant.now());
        return status;
    }

    /**
     * A step's environment: the agent's {@code CI_*} defaults, then the server's {@code ci_env} (it
     * knows better, e.g. a pull request's CI_COMMIT_BRANCH is its target branch), then the step's own.
     */
    Map<String, String> environment(JsonNode work, JsonNode step, Path workspace) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI_PIPELINE_NUMBER", work.path("number").asText());
        env.put("CI_PIPELINE_EVENT", work.path("event").asText());
        env.put("CI_REPO_OWNER", work.path("org").asText());
        env.put("CI_REPO_NAME", work.path("repo").asText());
        env.put("CI_COMMIT_SHA", work.path("commit_node").asText());
        env.put("CI_COMMIT_BRANCH", work.path("branch").asText());
        env.put("CI_STEP_NAME", step.path("name").asText());
        env.put("CI_STEP_NUMBER", step.path("number").asText());
        env.put("CI_WORKSPACE", workspace.toString());
        env.put("CI_AGENT_LABELS", String.join(",", config.labels().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        work.path("ci_env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        // The step's own variables (and secrets) come last, so a pipeline can override the defaults.
        step.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** The commands as one shell script that stops at the first failure and echoes each command. */
    static String script(List<String> commands) {
        if (commands.isEmpty()) {
            return "";
        }
        StringBuilder script = new StringBuilder("set -e\n");
        for (String command : commands) {
            script.append("printf '%s\\n' '+ ").append(command.replace("'", "'\\''")).append("'\n");
            script.append(command).append('\n');
        }
        return script.toString();
    }

    /** Stops a process and everything it started. */
    static void kill(Process process) {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    private static String format(Duration d) {
        return d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    p.toFile().setWritable(true);
                    p.toFile().delete();
                }
            });
        } catch (IOException e) {
            LOG.warning("cannot delete workspace " + root + ": " + e.getMessage());
        }
    }

}
