package dev.shoal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The CI agent API of the server, as seen from the agent. */
public class ShoalApi {

    /** The server refused an update for a pipeline this agent no longer holds (cancelled, re-queued, gone). */
    public static class NotHeldException extends IOException {
        public NotHeldException(String message) {
            super(message);
        }
    }

    private final AgentConfig config;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    public ShoalApi(AgentConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The next pipeline to run, or empty after waiting up to the configured long-poll time. */
    public Optional<JsonNode> poll() throws IOException, InterruptedException {
        HttpResponse<String> r = send(request("/api/v1/ci/poll?wait=" + config.pollWait())
                .timeout(Duration.ofSeconds(config.pollWait() + 30L))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (r.statusCode() == 204) {
            return Optional.empty();
        }
        check(r, "poll");
        return Optional.of(mapper.readTree(r.body()));
    }

    /**
     * Renews the leases of the pipelines this process runs (none when idle: a pipeline an earlier
     * run of this agent held is then left to expire and be queued again); answers the ids of
     * pipelines cancelled since the last heartbeat.
     */
    public List<Long> heartbeat(List<Long> running) throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode();
        running.forEach(body.putArray("running")::add);
        HttpResponse<String> r = send(request("/api/v1/ci/heartbeat").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        check(r, "heartbeat");
        List<Long> ids = new ArrayList<>();
        mapper.readTree(r.body()).path("cancel").forEach(n -> ids.add(n.asLong()));
        return ids;
    }

    public void stepStatus(long stepId, String status, Integer exitCode, Instant startedAt, Instant finishedAt)
            throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("status", status);
        if (exitCode != null) {
            body.put("exit_code", exitCode);
        }
        if (startedAt != null) {
            body.put("started_at", startedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        if (finishedAt != null) {
            body.put("finished_at", finishedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        put("/api/v1/ci/steps/" + stepId + "/status", body);
    }

    /** @param error why the pipeline could not run (shown as the pipeline's {@code error}), or null */
    public void pipelineStatus(long pipelineId, String status, Instant finishedAt, String error)
            throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("status", status);
        if (error != null) {
            body.put("error", error);
        }
        if (finishedAt != null) {
            body.put("finished_at", finishedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        put("/api/v1/ci/pipelines/" + pipelineId + "/status", body);
    }

    public void appendLog(long stepId, byte[] text) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request("/api/v1/ci/steps/" + stepId + "/log")
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(text)).build());
        check(r, "log append");
    }

    private void put(String path, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))).build());
        check(r, "status update");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + config.token());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void check(HttpResponse<String> r, String what) throws IOException {
        int status = r.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String body = r.body() == null ? "" : r.body();
        if (status == 403 || status == 404 || status == 409) {
            throw new NotHeldException(what + " refused (" + status + "): " + body);
        }
        throw new IOException(what + " failed (" + status + "): " + body);
    }
}
