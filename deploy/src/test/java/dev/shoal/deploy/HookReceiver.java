package dev.shoal.deploy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback that answers 200 and remembers, per event kind and delivery id,
 * the body it got (and how often), so a test can tell a lost delivery from a redelivered one, and
 * a redelivery (same id) from a duplicated event (a second id for the same fact).
 */
final class HookReceiver implements AutoCloseable {

    /** One distinct delivery: its event kind ({@code X-Shoal-Event}), id and body. */
    record Delivery(String event, String id, String body) {
    }

    private final HttpServer server;
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    private final Set<String> conflicting = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    HookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String event = exchange.getRequestHeaders().getFirst("X-Shoal-Event");
                String id = exchange.getRequestHeaders().getFirst("X-Shoal-Delivery");
                if (event != null && id != null) {
                    requests.computeIfAbsent(event, e -> new AtomicInteger()).incrementAndGet();
                    Delivery earlier = deliveries.putIfAbsent(id, new Delivery(event, id, body));
                    if (earlier != null && !earlier.body().equals(body)) {
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
        return distinct("issue");
    }

    /** Distinct deliveries of one event kind ({@code push}, {@code issue}, {@code pipeline}…). */
    int distinct(String event) {
        return (int) deliveries.values().stream().filter(d -> d.event().equals(event)).count();
    }

    /** Issue delivery requests received, redeliveries included. */
    int requests() {
        return requests("issue");
    }

    int requests(String event) {
        AtomicInteger count = requests.get(event);
        return count == null ? 0 : count.get();
    }

    /** Delivery ids that came twice with different bodies: a redelivery must be the same delivery. */
    Set<String> conflicting() {
        return Set.copyOf(conflicting);
    }

    /** Bodies of the distinct issue deliveries, by delivery id. */
    Map<String, String> bodies() {
        Map<String, String> issues = new ConcurrentHashMap<>();
        deliveries.values().stream().filter(d -> d.event().equals("issue")).forEach(d -> issues.put(d.id(), d.body()));
        return Map.copyOf(issues);
    }

    /** Every distinct delivery of one event kind. */
    List<Delivery> deliveries(String event) {
        return deliveries.values().stream().filter(d -> d.event().equals(event)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
