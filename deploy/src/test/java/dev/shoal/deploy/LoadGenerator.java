package dev.shoal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady load of writes through the gateway while services are killed: one thread opens issues
 * and comments on each, another commits and pushes with git (every fifth push on a new branch).
 * It keeps every write the stack answered with success — issue numbers and titles, comment ids,
 * pushed (ref, sha) pairs — and counts the refused ones, which are allowed while a service is down.
 */
final class LoadGenerator implements AutoCloseable {

    /** A ref update git reported as accepted. */
    record Push(String ref, String sha) {
    }

    private final StackClient client;
    private final String org;
    private final String repo;
    private final String token;
    private final Path work;
    private final Map<Long, String> issues = new ConcurrentHashMap<>();
    private final Set<Long> comments = ConcurrentHashMap.newKeySet();
    private final List<Push> pushes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<String> badAnswers = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> slow = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final Duration WRITE_BOUND = Duration.ofSeconds(65);
    private static final double NO_ANSWER_BOUND = 15;
    private long started;
    private volatile boolean running;

    /** {@code work} is a clone whose {@code main} the repository already has. */
    LoadGenerator(StackClient client, String org, String repo, String token, Path work) {
        this.client = client;
        this.org = org;
        this.repo = repo;
        this.token = token;
        this.work = work;
    }

    void start() {
        started = System.nanoTime();
        running = true;
        threads.add(new Thread(this::writeIssues, "load-issues"));
        threads.add(new Thread(this::push, "load-pushes"));
        threads.forEach(Thread::start);
    }

    /** Stops the writers and waits for the write in flight (each is bounded). */
    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(90).toMillis());
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not stop within 90 s");
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    Map<Long, String> issues() {
        return Map.copyOf(issues);
    }

    Set<Long> comments() {
        return Set.copyOf(comments);
    }

    List<Push> pushes() {
        synchronized (pushes) {
            return List.copyOf(pushes);
        }
    }

    int attempts() {
        return attempts.get();
    }

    int refused() {
        return refused.get();
    }

    /** Answers that were neither success nor a clean refusal (a 4xx, or a 5xx without the error envelope). */
    List<String> badAnswers() {
        synchronized (badAnswers) {
            return List.copyOf(badAnswers);
        }
    }

    private void writeIssues() {
        String base = client.url() + "/api/v1/repos/" + org + "/" + repo + "/issues";
        int i = 0;
        while (running) {
            String title = "load issue " + i++;
            try {
                HttpResponse<String> created = write("POST", base, "{\"title\":\"" + title + "\",\"body\":\"written under load\"}");
                if (created != null && created.statusCode() == 201) {
                    long number = client.json(created).path("data").path("number").asLong();
                    issues.put(number, title);
                    HttpResponse<String> comment = write("POST", base + "/" + number + "/comments",
                            "{\"body\":\"comment on " + title + "\"}");
                    if (comment != null && comment.statusCode() == 201) {
                        comments.add(client.json(comment).path("data").path("id").asLong());
                    }
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * One write; null when it could not reach the stack (a refused connection counts as refused).
     * The bound is above the gateway's upstream timeout (60 s, then 504): whatever the gateway
     * answers counts, only silence beyond it is a hang.
     */
    private HttpResponse<String> write(String method, String target, String json) throws InterruptedException {
        attempts.incrementAndGet();
        long sent = System.nanoTime();
        try {
            HttpResponse<String> answer = client.exchange(method, target, token, json, WRITE_BOUND);
            noteSlow(method + " " + target + " → " + answer.statusCode(), sent);
            if (answer.statusCode() >= 200 && answer.statusCode() < 300) {
                return answer;
            }
            refused.incrementAndGet();
            JsonNode error = parse(answer.body()).path("error");
            boolean envelope = error.path("code").isTextual() && error.path("message").isTextual();
            if (answer.statusCode() < 500 || !envelope) {
                badAnswers.add(method + " " + target + " → " + answer.statusCode() + " " + answer.body());
            }
            return answer;
        } catch (java.io.IOException e) {
            refused.incrementAndGet();
            noteSlow(method + " " + target + " → " + e, sent);
            // A service that is down is refused at once; silence that ends only in a closed
            // connection or a timeout is a hang.
            double took = (System.nanoTime() - sent) / 1e9;
            if (took > NO_ANSWER_BOUND || e instanceof java.net.http.HttpTimeoutException) {
                badAnswers.add(String.format("%s %s got no answer for %.1f s: %s", method, target, took, e));
            }
            return null;
        }
    }

    /** Answers that took longer than 10 s, with when they were sent (seconds since the load started) and how long they took. */
    List<String> slowWrites() {
        synchronized (slow) {
            return List.copyOf(slow);
        }
    }

    private void noteSlow(String what, long sent) {
        double took = (System.nanoTime() - sent) / 1e9;
        if (took > 10) {
            slow.add(String.format("%s sent at +%.1f s took %.1f s", what, (sent - started) / 1e9, took));
        }
    }

    private JsonNode parse(String body) {
        try {
            return client.mapper().readTree(body);
        } catch (java.io.IOException e) {
            return client.mapper().createObjectNode();
        }
    }

    private void push() {
        String remote = client.remote(org, repo, token);
        int i = 0;
        while (running) {
            try {
                i++;
                boolean branch = i % 5 == 0;
                String name = branch ? "load-" + i : "main";
                if (branch) {
                    StackClient.git(work, "checkout", "-q", "-b", name);
                }
                StackClient.commitFile(work, "load/" + i + ".txt", "push " + i + "\n", "load push " + i);
                String sha = StackClient.git(work, "rev-parse", "HEAD");
                attempts.incrementAndGet();
                long sent = System.nanoTime();
                java.nio.file.Path trace = java.nio.file.Files.createTempFile("shoal-push", ".trace");
                StackClient.GitResult pushed = StackClient.tryGit(work, Map.of("GIT_TRACE_CURL", trace.toString(),
                        "GIT_TRACE_CURL_NO_DATA", "1"), "push", "-q", remote, name);
                noteSlow("git push " + name + " → exit " + pushed.exitCode(), sent);
                if (pushed.exitCode() == 0) {
                    pushes.add(new Push("refs/heads/" + name, sha));
                } else {
                    refused.incrementAndGet();
                    if (pushed.exitCode() < 0) {
                        String lines = java.nio.file.Files.readString(trace);
                        badAnswers.add("git push " + name + " hung: " + pushed.output() + "; end of its GIT_TRACE_CURL:\n"
                                + lines.substring(Math.max(0, lines.length() - 3000)));
                    }
                }
                java.nio.file.Files.deleteIfExists(trace);
                if (branch) {
                    StackClient.git(work, "checkout", "-q", "main");
                }
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                badAnswers.add("push " + i + ": " + e);
            }
        }
    }
}
