package dev.shoal.deploy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback that answers 200 and remembers, per delivery id, the body it got
 * (and how often), so a test can tell a lost delivery from a redelivered one.
 */
final class HookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final Set<String> conflicting = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();

    HookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String event = exchange.getRequestHeaders().getFirst("X-Shoal-Event");
                String id = exchange.getRequestHeaders().getFirst("X-Shoal-Delivery");
                if ("issue".equals(event) && id != null) {
                    requests.incrementAndGet();
                    String earlier = bodies.putIfAbsent(id, body);
                    if (earlier != null && !earlier.equals(body)) {
                        conflicting.add(id);
                    }
                }
                exchange.sendResponseHeaders(200, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Distinct issue deliveries received. */
    int distinct() {
        return bodies.size();
    }

    /** Issue delivery requests received, redeliveries included. */
    int requests() {
        return requests.get();
    }

    /** Delivery ids that came twice with different bodies: a redelivery must be the same delivery. */
    Set<String> conflicting() {
        return Set.copyOf(conflicting);
    }

    Map<String, String> bodies() {
        return Map.copyOf(bodies);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
