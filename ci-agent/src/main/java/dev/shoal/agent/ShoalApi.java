package dev.shoal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CI agent API of the server, as seen from the agent. Requests go through
 * {@link HttpURLConnection} (HTTP/1.1, connections kept alive and reused): the JDK's
 * {@code java.net.http} client sets up TLS with the CA certificates even for an {@code http://}
 * server and loads some 1,200 classes, for an agent that sends a few small requests a minute.
 */
public class ShoalApi {

    /** The server refused an update for a pipeline this agent no longer holds (cancelled, re-queued, gone). */
    public static class NotHeldException extends IOException {
        public NotHeldException(String message) {
            super(message);
        }
    }

    static {
        // HttpURLConnection would otherwise send a POST again, unasked, when a kept-alive connection
        // fails while it waits for the answer: a poll the server did answer would claim a second pipeline
        System.setProperty("sun.net.http.retryPost", "false");
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** An answer: status and body. */
    private record Response(int status, String body) {
    }

    private final AgentConfig config;
    private final ObjectMapper mapper = new ObjectMapper();

    public ShoalApi(AgentConfig config) {
        this.config = config;
    }

    /** The next pipeline to run, or empty after waiting up to the configured long-poll time. */
    public Optional<JsonNode> poll() throws IOException, InterruptedException {
        Response r = send("POST", "/api/v1/ci/poll?wait=" + config.pollWait(), null, new byte[0],
                Duration.ofSeconds(config.pollWait() + 30L));
        if (r.status() == 204) {
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
        Response r = send("POST", "/api/v1/ci/heartbeat", "application/json", utf8(body.toString()), TIMEOUT);
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
        Response r = send("POST", "/api/v1/ci/steps/" + stepId + "/log", "text/plain; charset=utf-8", text, TIMEOUT);
        check(r, "log append");
    }

    private void put(String path, ObjectNode body) throws IOException {
        Response r = send("PUT", path, "application/json", utf8(mapper.writeValueAsString(body)), TIMEOUT);
        check(r, "status update");
    }

    private Response send(String method, String path, String contentType, byte[] body, Duration timeout) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(config.baseUrl() + path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        connection.setRequestProperty("Authorization", "Bearer " + config.token());
        if (contentType != null) {
            connection.setRequestProperty("Content-Type", contentType);
        }
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (in == null) {
            return new Response(status, "");
        }
        try (in) { // read to the end, so the connection goes back to the keep-alive cache
            return new Response(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void check(Response r, String what) throws IOException {
        int status = r.status();
        if (status / 100 == 2) {
            return;
        }
        String body = r.body();
        if (status == 403 || status == 404 || status == 409) {
            throw new NotHeldException(what + " refused (" + status + "): " + body);
        }
        throw new IOException(what + " failed (" + status + "): " + body);
    }
}
