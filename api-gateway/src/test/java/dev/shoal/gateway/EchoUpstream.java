package dev.shoal.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shoal.platform.testing.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A real HTTP server standing in for the services behind the gateway: it answers every forwarded
 * request with what it received (method, path, body size, the internal JWT's claims), so tests
 * see exactly what the gateway forwarded. The webhook service is pointed at a closed port.
 */
public class EchoUpstream implements QuarkusTestResourceLifecycleManager {

    private static HttpServer server;
    /** Request ids already dropped once for an {@code X-Echo-Drop-First} header. */
    private static final Set<String> DROPPED = ConcurrentHashMap.newKeySet();

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            // Without TCP_NODELAY the JDK server's separate header and body writes meet the
            // client's delayed ACK, adding 40 ms to every forwarded request of the tests.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            try {
                server = HttpServer.create(new InetSocketAddress("localhost", FreePorts.next()), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.createContext("/", EchoUpstream::answer);
            server.start();
        }
        String url = "http://localhost:" + server.getAddress().getPort();
        return Map.of("shoal.services.repo.url", url, "shoal.services.issue.url", url,
                "shoal.services.pipeline.url", url, "shoal.services.web.url", url, "shoal.services.webhook.url", "http://localhost:" + FreePorts.next());
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        // repo-service knows no repository beyond those the tests announce through events.
        if (path.startsWith("/internal/repos/by-name/") || path.matches("/internal/repos/[0-9]+")) {
            send(exchange, 404, new JsonObject().put("error", new JsonObject().put("code", "not_found").put("message", "no such repo")));
            return;
        }
        if (path.equals("/internal/drone/repos")) {
            ciSummaries(exchange);
            return;
        }
        String agent = exchange.getRequestHeaders().getFirst("X-Shoal-Agent-Token");
        if (agent != null && agent.startsWith("invented")) {
            // pipeline-service refusing an agent token it does not know
            send(exchange, 401, new JsonObject().put("error", new JsonObject().put("code", "unauthorized").put("message", "unknown agent")));
            return;
        }
        if (exchange.getRequestHeaders().containsKey("X-Echo-Drop-First") && DROPPED.add(exchange.getRequestHeaders().getFirst("X-Request-Id"))) {
            // The JDK server closes the connection without an answer when a handler throws: what a
            // service does when it closes a pooled keep-alive connection as the gateway reuses it.
            throw new IOException("dropping the first arrival of this request");
        }
        if (path.endsWith("/vanish")) {
            // Like a service killed while it handles the request: the connection closes without an answer.
            exchange.getRequestBody().readAllBytes();
            exchange.close();
            return;
        }
        if (path.endsWith("/slow")) {
            try {
                Thread.sleep(4_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long size = 0;
        try (InputStream body = exchange.getRequestBody()) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = body.read(buffer)) > 0) {
                size += n;
            }
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        JsonObject claims = new JsonObject();
        if (authorization != null && authorization.startsWith("Bearer ")) {
            String[] parts = authorization.substring(7).split("\\.");
            claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        }
        JsonObject echo = new JsonObject()
                .put("method", exchange.getRequestMethod())
                .put("path", path)
                .put("query", exchange.getRequestURI().getRawQuery())
                .put("body_size", size)
                .put("claims", claims)
                .put("agent_token", exchange.getRequestHeaders().getFirst("X-Shoal-Agent-Token"))
                .put("storage_issuer", exchange.getRequestHeaders().getFirst("X-Shoal-Storage-Issuer"))
                .put("storage_repo", exchange.getRequestHeaders().getFirst("X-Shoal-Storage-Repo"))
                .put("storage_scopes", exchange.getRequestHeaders().getFirst("X-Shoal-Storage-Scopes"))
                .put("request_id", exchange.getRequestHeaders().getFirst("X-Request-Id"))
                .put("expect", exchange.getRequestHeaders().getFirst("Expect"))
                .put("traceparent", exchange.getRequestHeaders().getFirst("traceparent"));
        send(exchange, 200, new JsonObject().put("echo", echo));
    }

    /**
     * pipeline-service's CI summaries, answered as it would for repositories it knows with default
     * settings: the Drone fields the gateway merges, and one finished build whose time follows the id
     * (so feed order is predictable). Ids above {@link #CI_UNKNOWN_FROM} are unknown to it.
     */
    private static void ciSummaries(HttpExchange exchange) throws IOException {
        JsonObject request;
        try (InputStream body = exchange.getRequestBody()) {
            request = new JsonObject(new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
        io.vertx.core.json.JsonArray data = new io.vertx.core.json.JsonArray();
        for (Object raw : request.getJsonArray("repo_ids")) {
            long id = ((Number) raw).longValue();
            if (id >= CI_UNKNOWN_FROM) {
                continue;
            }
            JsonObject repo = new JsonObject().put("id", id).put("active", true).put("timeout", 60)
                    .put("config_path", ".drone.yml").put("trusted", false).put("allow_pr", true).put("allow_push", true)
                    .put("allow_deploys", false).put("allow_tags", true).put("counter", 1);
            JsonObject build = new JsonObject().put("id", id).put("repo_id", id).put("number", 1).put("status", "success")
                    .put("event", "push").put("after", "a".repeat(40)).put("source", "main").put("ref", "refs/heads/main")
                    .put("author_login", "ci").put("author_avatar", "").put("created", CI_EPOCH + id % 100_000)
                    .put("started", CI_EPOCH + id % 100_000).put("finished", CI_EPOCH + id % 100_000 + 5);
            data.add(new JsonObject().put("repo", repo).put("build", build));
        }
        send(exchange, 200, new JsonObject().put("data", data));
    }

    static final long CI_EPOCH = 1_700_000_000L;
    static final long CI_UNKNOWN_FROM = Long.MAX_VALUE / 2;

    private static void send(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        // shared by every test class of the module run
    }
}
