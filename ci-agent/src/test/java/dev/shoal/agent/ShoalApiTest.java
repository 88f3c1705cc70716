package dev.shoal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's side of the agent protocol, against a real HTTP server on the loopback. */
class ShoalApiTest {

    private static final String TOKEN = "shoal_agent_test-token";

    @TempDir
    Path workdir;

    private FakeServer server;
    private ShoalApi api;

    @BeforeEach
    void start() throws IOException {
        server = new FakeServer();
        api = new ShoalApi(new AgentConfig(server.url(), TOKEN, workdir, Map.of(), 7, Duration.ofMinutes(1), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pollWaitsAsConfiguredAndReadsTheWork() throws Exception {
        server.answer("/api/v1/ci/poll", 204, "");
        assertThat(api.poll()).isEmpty();
        server.answer("/api/v1/ci/poll", 200, "{\"pipeline_id\": 41, \"steps\": [{\"id\": 5}]}");
        assertThat(api.poll()).hasValueSatisfying(work -> {
            assertThat(work.path("pipeline_id").asLong()).isEqualTo(41);
            assertThat(work.path("steps").get(0).path("id").asLong()).isEqualTo(5);
        });
        FakeServer.Request poll = server.requests().get(0);
        assertThat(poll.method()).isEqualTo("POST");
        assertThat(poll.path()).isEqualTo("/api/v1/ci/poll?wait=7");
        assertThat(poll.headers()).containsEntry("authorization", "Bearer " + TOKEN);
    }

    @Test
    void heartbeatNamesTheRunningPipelinesAndReturnsTheCancelledOnes() throws Exception {
        server.answer("/api/v1/ci/heartbeat", 200, "{\"cancel\": [3, 9]}");
        assertThat(api.heartbeat(List.of(3L, 4L))).containsExactly(3L, 9L);
        server.answer("/api/v1/ci/heartbeat", 200, "{}");
        assertThat(api.heartbeat(List.of())).isEmpty();
        List<FakeServer.Request> sent = server.requests();
        assertThat(sent.get(0).text()).isEqualTo("{\"running\":[3,4]}");
        assertThat(sent.get(0).headers()).containsEntry("content-type", "application/json");
        assertThat(sent.get(1).text()).isEqualTo("{\"running\":[]}");
    }

    @Test
    void statusUpdatesAreJsonWithTimesInWholeSeconds() throws Exception {
        Instant started = Instant.parse("2026-01-02T03:04:05.678Z");
        api.stepStatus(12, "running", null, started, null);
        api.stepStatus(12, "success", 0, started, started.plusSeconds(2));
        api.pipelineStatus(41, "error", started.plusSeconds(3), "no sandbox: bwrap failed");
        List<FakeServer.Request> sent = server.requests();
        assertThat(sent).extracting(FakeServer.Request::method).containsOnly("PUT");
        assertThat(sent.get(0).path()).isEqualTo("/api/v1/ci/steps/12/status");
        assertThat(sent.get(0).text()).isEqualTo("{\"status\":\"running\",\"started_at\":\"2026-01-02T03:04:05Z\"}");
        assertThat(sent.get(1).text()).isEqualTo("{\"status\":\"success\",\"exit_code\":0,"
                + "\"started_at\":\"2026-01-02T03:04:05Z\",\"finished_at\":\"2026-01-02T03:04:07Z\"}");
        assertThat(sent.get(2).path()).isEqualTo("/api/v1/ci/pipelines/41/status");
        assertThat(sent.get(2).text()).isEqualTo("{\"status\":\"error\",\"error\":\"no sandbox: bwrap failed\","
                + "\"finished_at\":\"2026-01-02T03:04:08Z\"}");
    }

    @Test
    void logTextIsPostedAsIs() throws Exception {
        byte[] text = "ünïcode line\n\u001b[31mred\u001b[0m\n".getBytes(StandardCharsets.UTF_8);
        api.appendLog(12, text);
        FakeServer.Request sent = server.requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/v1/ci/steps/12/log");
        assertThat(sent.headers()).containsEntry("content-type", "text/plain; charset=utf-8");
        assertThat(sent.body()).isEqualTo(text);
    }

    @Test
    void aPipelineNoLongerHeldIsToldApartFromAServerFailure() {
        for (int status : new int[] {403, 404, 409}) {
            server.answer("/api/v1/ci/steps/12/status", status, "{\"error\":{\"code\":\"conflict\"}}");
            assertThatThrownBy(() -> api.stepStatus(12, "success", 0, null, null))
                    .isInstanceOf(ShoalApi.NotHeldException.class)
                    .hasMessage("status update refused (" + status + "): {\"error\":{\"code\":\"conflict\"}}");
        }
        server.answer("/api/v1/ci/steps/12/log", 500, "{\"error\":{\"code\":\"internal\"}}");
        assertThatThrownBy(() -> api.appendLog(12, new byte[] {'x'}))
                .isInstanceOf(IOException.class).isNotInstanceOf(ShoalApi.NotHeldException.class)
                .hasMessage("log append failed (500): {\"error\":{\"code\":\"internal\"}}");
        server.answer("/api/v1/ci/poll", 401, "{\"error\":{\"code\":\"unauthorized\"}}");
        assertThatThrownBy(() -> api.poll()).isInstanceOf(IOException.class).hasMessageContaining("poll failed (401)");
    }

    @Test
    void logsShippedThroughTheApiArriveInOrderAndMasked() throws Exception {
        try (LogShipper log = new LogShipper("api-test", text -> api.appendLog(12, text), List.of(TOKEN))) {
            Process process = new ProcessBuilder("sh", "-c", "for i in 1 2 3; do echo line $i; done; echo token " + TOKEN).start();
            log.pump(process.getInputStream(), "stdout");
            assertThat(process.waitFor()).isZero();
        }
        String shipped = String.join("", server.requests().stream()
                .filter(r -> r.path().equals("/api/v1/ci/steps/12/log")).map(FakeServer.Request::text).toList());
        assertThat(shipped).isEqualTo("line 1\nline 2\nline 3\ntoken ********\n");
        assertThat(server.requests()).noneMatch(r -> r.text().contains(TOKEN));
    }
}
