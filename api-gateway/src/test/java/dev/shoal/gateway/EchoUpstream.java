package dev.shoal.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shoal.platform.testing.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonObject;
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
                "shoal.services.pipeline.url", url, "shoal.services.webhook.url", "http://localhost:" + FreePorts.next());
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        // repo-service knows no repository beyond those the tests announce through events.
        if (path.startsWith("/internal/repos/by-name/") || path.matches("/internal/repos/[0-9]+")) {
            send(exchange, 404, new JsonObject().put("error", new JsonObject().put("code", "not_found").put("message", "no such repo")));
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
                .put("request_id", exchange.getRequestHeaders().getFirst("X-Request-Id"));
        send(exchange, 200, new JsonObject().put("echo", echo));
    }

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
