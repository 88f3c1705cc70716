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
 *
 * <p>Where a step runs: in a container when it names an image and a Docker engine answers; else in
 * the bubblewrap {@link Sandbox} when it works on this machine; else on the host only if the
 * operator set {@code SHOAL_AGENT_UNSAFE_HOST_STEPS=true}. Otherwise the agent refuses the whole
 * pipeline before cloning it and reports the reason as the pipeline's error. Every process the
 * agent starts (git, docker, bwrap, host steps) gets an environment built from nothing, so the
 * agent's own variables never reach a step.
 */
public class PipelineRunner {

    private static final Logger LOG = Logger.getLogger(PipelineRunner.class.getName());
    /** Of the agent's own environment, only these reach git, the docker client and unsandboxed steps. */
    private static final Set<String> HOST_ENV = Set.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "SHELL", "TERM");

    /** Where a step runs. */
    enum Backend { CONTAINER, SANDBOX, HOST }

    private final AgentConfig config;
    private final ShoalApi api;
    private final boolean docker;
    private final Sandbox sandbox;
    private final String noSandbox;
    private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    private volatile Process current;
    private volatile long currentPipeline = -1;

    /**
     * @param sandbox   the working sandbox, or null when it does not work here
     * @param noSandbox why there is no sandbox (shown when a pipeline is refused), or null
     */
    public PipelineRunner(AgentConfig config, ShoalApi api, boolean docker, Sandbox sandbox, String noSandbox) {
        this.config = config;
        this.api = api;
        this.docker = docker;
        this.sandbox = sandbox;
        this.noSandbox = noSandbox;
    }

    /** Where {@code step} runs on this agent, or null when nowhere it may. */
    Backend backend(JsonNode step) {
        String image = step.path("image").isTextual() ? step.path("image").asText() : "";
        if (docker && !image.isBlank()) {
            return Backend.CONTAINER;
        }
        if (sandbox != null) {
            return Backend.SANDBOX;
        }
        return config.unsafeHostSteps() ? Backend.HOST : null;
    }

    /** Why this agent refuses {@code steps}, or null when each of them has somewhere to run. */
    String refusal(List<JsonNode> steps) {
        List<String> homeless = steps.stream().filter(s -> backend(s) == null).map(s -> s.path("name").asText()).toList();
        if (homeless.isEmpty()) {
            return null;
        }
        String where = docker ? "step " + String.join(", ", homeless) + " names no image, so no container can run it,"
                : "no container engine answers on this agent";
        return "the agent refused to run this pipeline: " + where + " and the bubblewrap sandbox does not work here ("
                + (noSandbox == null ? "not available" : noSandbox) + "). Steps never run unsandboxed on the host unless the "
                + "agent's operator sets SHOAL_AGENT_UNSAFE_HOST_STEPS=true, for a trusted single-user setup only.";
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
            String result = runSteps(work, root, workspace, registries, dockerConfig);
            if (result != null && !cancelled.contains(pipelineId)) {
                api.pipelineStatus(pipelineId, result, Instant.now(), null);
            }
        } catch (ShoalApi.NotHeldException e) {
            LOG.info("pipeline " + pipelineId + " stopped: " + e.getMessage());
        } catch (IOException e) {
            LOG.warning("pipeline " + pipelineId + " failed: " + e.getMessage());
            try {
                api.pipelineStatus(pipelineId, "error", Instant.now(), "the agent failed: " + e.getMessage());
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
    private String runSteps(JsonNode work, Path root, Path workspace, List<DockerConfig.Registry> registries,
                            Path dockerConfig) throws IOException, InterruptedException {
        long pipelineId = work.path("pipeline_id").asLong();
        List<JsonNode> steps = new ArrayList<>();
        work.path("steps").forEach(steps::add);
        steps.sort(Comparator.comparingInt(s -> s.path("number").asInt()));
        if (steps.isEmpty()) {
            return "success";
        }
        List<String> masked = masked(work);
        String refused = refusal(steps);
        if (refused != null) {
            LOG.warning("pipeline " + pipelineId + ": " + refused);
            long first = steps.get(0).path("id").asLong();
            try (LogShipper log = new LogShipper("refused", text -> api.appendLog(first, text), masked)) {
                log.line(refused);
            }
            api.stepStatus(first, "failure", null, null, Instant.now());
            api.pipelineStatus(pipelineId, "error", Instant.now(), refused);
            return null;
        }
        if (!clone(work, workspace, steps.get(0).path("id").asLong(), registries, masked)) {
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
            String status = runStep(work, step, root, workspace, dockerConfig, masked);
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

    private boolean clone(JsonNode work, Path workspace, long firstStepId, List<DockerConfig.Registry> registries,
                          List<String> masked) throws InterruptedException {
        String url = work.path("clone_url").asText();
        String commit = work.path("commit_node").asText();
        Map<String, String> credentials = cloneCredentials(work.path("clone_token").asText(""));
        try (LogShipper log = new LogShipper("clone", text -> api.appendLog(firstStepId, text), masked)) {
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
                        + "answers on this agent, steps run " + (sandbox != null ? "in the bubblewrap sandbox" : "on the host"));
            }
            return true;
        }
    }

    /**
     * What the step logs must never show: the agent's token, the clone token and the Basic
     * credential built from it, registry passwords.
     */
    List<String> masked(JsonNode work) {
        List<String> values = new ArrayList<>(List.of(config.token()));
        String cloneToken = work.path("clone_token").asText("");
        if (!cloneToken.isEmpty()) {
            values.add(cloneToken);
            values.add(basic(cloneToken));
        }
        DockerConfig.registries(work).forEach(r -> values.add(r.password()));
        return values;
    }

    private static String basic(String token) {
        return Base64.getEncoder().encodeToString(("shoal-ci:" + token).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The pipeline's clone credential as git configuration passed through git's own environment
     * (built from nothing, readable only by the agent's user): never on the command line (any
     * user's {@code ps}) nor in the workspace's {@code .git/config} (the steps).
     */
    static Map<String, String> cloneCredentials(String token) {
        if (token.isEmpty()) {
            return Map.of();
        }
        return Map.of("GIT_CONFIG_COUNT", "1", "GIT_CONFIG_KEY_0", "http.extraHeader",
                "GIT_CONFIG_VALUE_0", "Authorization: Basic " + basic(token), "GIT_TERMINAL_PROMPT", "0");
    }

    private int exec(List<String> command, Map<String, String> env, LogShipper log, Path dir) throws InterruptedException {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            hostEnvironment(builder);
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
    private String runStep(JsonNode work, JsonNode step, Path root, Path workspace, Path dockerConfig, List<String> masked)
            throws IOException, InterruptedException {
        long pipelineId = work.path("pipeline_id").asLong();
        long stepId = step.path("id").asLong();
        Instant started = Instant.now();
        api.stepStatus(stepId, "running", null, started, null);
        String image = step.path("image").isTextual() ? step.path("image").asText() : null;
        Backend backend = backend(step);
        Map<String, String> env = environment(work, step, backend == Backend.HOST ? workspace.toString() : Sandbox.WORKSPACE);
        String script = script(strings(step.path("commands")));
        Path stepDir = root.resolve("step-" + stepId);
        int exit;
        boolean timedOut = false;
        Sandbox.Connection network = null;
        try (LogShipper log = new LogShipper("step-" + stepId, text -> api.appendLog(stepId, text), masked)) {
            ProcessBuilder builder;
            if (backend == Backend.CONTAINER) {
                List<String> command = new ArrayList<>(List.of("docker", "run", "--rm", "-v", workspace + ":" + Sandbox.WORKSPACE,
                        "-w", Sandbox.WORKSPACE));
                env.forEach((k, v) -> {
                    command.add("-e");
                    command.add(k + "=" + v);
                });
                command.add(image);
                if (!script.isEmpty()) {
                    command.addAll(List.of("sh", "-c", script));
                }
                builder = new ProcessBuilder(command);
                hostEnvironment(builder);
                // The engine `docker info` found (a Podman socket, a context); the container gets none of these.
                for (String name : List.of("DOCKER_HOST", "DOCKER_CONTEXT")) {
                    String value = System.getenv(name);
                    if (value != null) {
                        builder.environment().put(name, value);
                    }
                }
                if (dockerConfig != null) {
                    // For the docker client's pulls only; the container's environment is the -e list above.
                    builder.environment().put("DOCKER_CONFIG", dockerConfig.toString());
                }
                builder.directory(workspace.toFile());
            } else if (backend == Backend.SANDBOX) {
                if (image != null && !image.isBlank()) {
                    log.line("image " + image + " not used: no Docker engine answers on this agent; running in the "
                            + "bubblewrap sandbox (workspace at " + Sandbox.WORKSPACE + ", the rest of the host hidden)");
                }
                List<String> unusable = Sandbox.unusableNames(env);
                if (!unusable.isEmpty()) {
                    log.line("variables not passed (not valid shell names): " + String.join(", ", unusable));
                }
                builder = sandbox.builder(workspace, Sandbox.prepare(stepDir, env, script));
            } else {
                log.line("warning: running on the host without a sandbox (SHOAL_AGENT_UNSAFE_HOST_STEPS=true): this step "
                        + "can read and change everything the agent's user can"
                        + (image != null && !image.isBlank() ? "; image " + image + " not used" : ""));
                builder = new ProcessBuilder("sh", "-c", script.isEmpty() ? "true" : script);
                hostEnvironment(builder);
                builder.environment().putAll(env);
                builder.directory(workspace.toFile());
            }
            builder.redirectErrorStream(true);
            Process process = builder.start();
            current = process;
            log.pump(process.getInputStream(), "step-" + stepId);
            // The step starts only once its network is up (or never). bwrap sometimes ends before it
            // is let go (seen about once in ten probes on a loaded machine, cause not yet known); the
            // step has not run then, so it is started again, twice at most.
            for (int attempt = 1; backend == Backend.SANDBOX; attempt++) {
                try {
                    network = sandbox.connect(process, stepDir);
                    break;
                } catch (IOException e) {
                    kill(process);
                    process.waitFor(5, TimeUnit.SECONDS);
                    if (attempt == 3 || cancelled.contains(pipelineId)) {
                        log.line("the step's network could not be set up, so the step did not run: " + e.getMessage());
                        break;
                    }
                    log.line("the step's network could not be set up (" + e.getMessage() + "); starting it again");
                    process = sandbox.builder(workspace, stepDir).redirectErrorStream(true).start();
                    current = process;
                    log.pump(process.getInputStream(), "step-" + stepId);
                }
            }
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
        } finally {
            if (network != null) {
                // slirp4netns outlives nothing: its tap device went with the step's namespace.
                network.close();
            }
            // The step's variables (secrets) stay on disk no longer than the step runs.
            deleteTree(stepDir);
        }
        if (cancelled.contains(pipelineId)) {
            return null;
        }
        String status = exit == 0 && !timedOut ? "success" : "failure";
        api.stepStatus(stepId, status, exit, started, Instant.now());
        return status;
    }

    /** The environment of a process the agent starts: nothing of the agent's but {@link #HOST_ENV}. */
    private static void hostEnvironment(ProcessBuilder builder) {
        builder.environment().keySet().removeIf(k -> !HOST_ENV.contains(k));
    }

    /**
     * A step's environment: the agent's {@code CI_*} defaults, then the server's {@code ci_env} (it
     * knows better, e.g. a pull request's CI_COMMIT_BRANCH is its target branch), then the step's own.
     */
    Map<String, String> environment(JsonNode work, JsonNode step, String workspace) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI_PIPELINE_NUMBER", work.path("number").asText());
        env.put("CI_PIPELINE_EVENT", work.path("event").asText());
        env.put("CI_REPO_OWNER", work.path("org").asText());
        env.put("CI_REPO_NAME", work.path("repo").asText());
        env.put("CI_COMMIT_SHA", work.path("commit_node").asText());
        env.put("CI_COMMIT_BRANCH", work.path("branch").asText());
        env.put("CI_STEP_NAME", step.path("name").asText());
        env.put("CI_STEP_NUMBER", step.path("number").asText());
        env.put("CI_WORKSPACE", workspace);
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
