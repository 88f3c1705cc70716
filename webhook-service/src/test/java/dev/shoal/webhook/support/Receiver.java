package dev.shoal.webhook.support;

import com.sun.net.httpserver.HttpServer;
import dev.shoal.platform.testing.Waits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A real HTTP receiver on loopback that records every request and answers as each path is told. */
public final class Receiver implements AutoCloseable {

    public record Received(String path, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Integer> always = new ConcurrentHashMap<>();
    private final Map<String, Long> delays = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> active = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> peak = new ConcurrentHashMap<>();

    public Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(", ", values)));
            int now = active.computeIfAbsent(path, p -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            peak.computeIfAbsent(path, p -> new java.util.concurrent.atomic.AtomicInteger()).accumulateAndGet(now, Math::max);
            long delay = delays.getOrDefault(path, 0L);
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            active.get(path).decrementAndGet();
            received.add(new Received(path, headers, body));
            Deque<Integer> queue = scripted.get(path);
            Integer next = queue == null ? null : queue.poll();
            int status = next != null ? next : always.getOrDefault(path, 200);
            byte[] answer = ("{\"ok\":" + (status < 300) + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-Receiver", "test");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next answers on {@code path}, in order; afterwards the path's default (200). */
    public void script(String path, Integer... statuses) {
        scripted.put(path, new ConcurrentLinkedDeque<>(List.of(statuses)));
    }

    public void alwaysAnswer(String path, int status) {
        always.put(path, status);
    }

    public void delay(String path, Duration delay) {
        delays.put(path, delay.toMillis());
    }

    /** The most requests that were being handled at once on {@code path}. */
    public int peakConcurrency(String path) {
        java.util.concurrent.atomic.AtomicInteger value = peak.get(path);
        return value == null ? 0 : value.get();
    }

    public List<Received> at(String path) {
        List<Received> list = new ArrayList<>();
        for (Received r : received) {
            if (r.path().equals(path)) {
                list.add(r);
            }
        }
        return list;
    }

    public List<Received> await(String path, int count, Duration timeout) {
        Waits.until(timeout, () -> at(path).size() >= count, () -> "expected " + count + " requests at " + path
                + ", got " + at(path).size());
        return at(path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
