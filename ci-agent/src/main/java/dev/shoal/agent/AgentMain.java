package dev.shoal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The Shoal CI agent: polls the server for a pipeline, runs it, and polls again. A heartbeat
 * thread renews the lease every few seconds and stops pipelines the server reports cancelled.
 * Run several processes for several pipelines at once.
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
        LOG.info("shoal ci-agent polling " + config.baseUrl() + (docker ? " (Docker backend)" : " (local process backend)"));
        PipelineRunner runner = new PipelineRunner(config, api, docker);
        startHeartbeat(config, api, runner);
        long backoff = 1_000;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Optional<JsonNode> work = api.poll();
                backoff = 1_000;
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
