package dev.shoal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The Shoal CI agent: polls the server for a pipeline, runs it, and polls again. A heartbeat
 * thread renews the lease every few seconds and stops pipelines the server reports cancelled.
 * Run several processes for several pipelines at once.
 *
 * <p>On SIGTERM (a Kubernetes scale-down, {@code deploy/down}) it takes no new work and lets the
 * pipeline it runs finish, heartbeats going on, for up to {@code SHOAL_AGENT_SHUTDOWN_GRACE}
 * (default 50m, inside the 3600 s grace of deploy/k8s). A pipeline still running then is stopped
 * without a status report: its lease runs out and the server hands it to another agent.
 */
public final class AgentMain {

    private static final Logger LOG = Logger.getLogger(AgentMain.class.getName());

    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        AgentConfig config;
        try {
            config = AgentConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("shoal ci-agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        ShoalApi api = new ShoalApi(config);
        boolean docker = PipelineRunner.dockerAvailable();
        // Tried once, for real: a bwrap that exists can still fail (user namespaces off, seccomp).
        // With the isolated network (the default), slirp4netns is part of the sandbox: without it steps are refused.
        Sandbox sandbox = new Sandbox(config.bwrap(), config.sandboxReadOnly(), config.sandboxNetwork(), config.slirp4netns());
        String noSandbox = sandbox.probe(config.workdir()).orElse(null);
        LOG.info("shoal ci-agent polling " + config.baseUrl() + ": " + backends(docker, noSandbox, config.unsafeHostSteps())
                + (noSandbox == null ? "; sandbox network: " + networkNote(config.sandboxNetwork()) : ""));
        Duration grace;
        try {
            grace = AgentConfig.duration(System.getenv().getOrDefault("SHOAL_AGENT_SHUTDOWN_GRACE", "50m"),
                    "SHOAL_AGENT_SHUTDOWN_GRACE");
        } catch (IllegalArgumentException e) {
            System.err.println("shoal ci-agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        PipelineRunner runner = new PipelineRunner(config, api, docker, noSandbox == null ? sandbox : null, noSandbox);
        startHeartbeat(config, api, runner);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drain(stopping, runner, grace), "shutdown"));
        long backoff = 1_000;
        while (!Thread.currentThread().isInterrupted() && !stopping.get()) {
            try {
                Optional<JsonNode> work = api.poll();
                backoff = 1_000;
                if (work.isPresent() && stopping.get()) {
                    // claimed as the signal came: not started, so its lease simply runs out and it is queued again
                    LOG.info("stopping: pipeline " + work.get().path("pipeline_id").asLong() + " not started");
                    return;
                }
                if (work.isPresent()) {
                    LOG.info("running pipeline " + work.get().path("pipeline_id").asLong() + " of "
                            + work.get().path("org").asText() + "/" + work.get().path("repo").asText());
                    runner.run(work.get());
                }
            } catch (IOException e) {
                // The server restarted or is unreachable: keep trying, slower and slower up to 30 s.
                LOG.warning("poll failed, retrying in " + backoff + " ms: " + e.getMessage());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    /** One line for the log: where steps will run. */
    static String backends(boolean docker, String noSandbox, boolean unsafeHost) {
        String steps = docker ? "other steps" : "steps";
        String others = noSandbox == null ? steps + " in the bubblewrap sandbox"
                : unsafeHost ? steps + " UNSANDBOXED on the host (SHOAL_AGENT_UNSAFE_HOST_STEPS=true; no sandbox: "
                + noSandbox + ")"
                : steps + " are refused (no sandbox: " + noSandbox + "; SHOAL_AGENT_UNSAFE_HOST_STEPS is off)";
        return (docker ? "steps with an image in Docker containers, " : "no Docker engine answers; ") + others;
    }

    static String networkNote(Sandbox.Network network) {
        return switch (network) {
            case ISOLATED -> "isolated (outbound through slirp4netns, the host's loopback services unreachable)";
            case NONE -> "none (steps have no network)";
            case HOST -> "host (SHOAL_AGENT_SANDBOX_NETWORK=host: steps can reach every service on this machine's "
                    + "loopback, the stack's PostgreSQL and Kafka included)";
        };
    }

    /** The shutdown hook: no new work, the running pipeline gets up to {@code grace} to finish. */
    static void drain(AtomicBoolean stopping, PipelineRunner runner, Duration grace) {
        stopping.set(true);
        List<Long> running = runner.running();
        if (running.isEmpty()) {
            return;
        }
        LOG.info("stopping: letting pipeline " + running + " finish (up to " + grace + ")");
        try {
            if (runner.awaitIdle(grace)) {
                return;
            }
            for (long id : runner.running()) {
                LOG.warning("stopping: pipeline " + id + " did not finish in " + grace
                        + "; stopped here, it returns to the queue when its lease expires");
                runner.cancel(id);
            }
            runner.awaitIdle(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void startHeartbeat(AgentConfig config, ShoalApi api, PipelineRunner runner) {
        Thread heartbeat = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(config.heartbeat().toMillis());
                    List<Long> cancelled = api.heartbeat(runner.running());
                    for (long id : cancelled) {
                        LOG.info("pipeline " + id + " was cancelled");
                        runner.cancel(id);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    LOG.warning("heartbeat failed: " + e.getMessage());
                }
            }
        }, "heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }
}
