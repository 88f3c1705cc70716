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

    /** One write; null when it could not reach the stack (a refused connection counts as refused). */
    private HttpResponse<String> write(String method, String target, String json) throws InterruptedException {
        attempts.incrementAndGet();
        try {
            HttpResponse<String> answer = client.exchange(method, target, token, json, Duration.ofSeconds(30));
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
            if (e instanceof java.net.http.HttpTimeoutException || String.valueOf(e.getMessage()).contains("did not finish within")) {
                badAnswers.add(method + " " + target + " hung: " + e.getMessage());
            }
            return null;
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
                StackClient.GitResult pushed = StackClient.tryGit(work, "push", "-q", remote, name);
                if (pushed.exitCode() == 0) {
                    pushes.add(new Push("refs/heads/" + name, sha));
                } else {
                    refused.incrementAndGet();
                    if (pushed.exitCode() < 0) {
                        badAnswers.add("git push " + name + " hung: " + pushed.output());
                    }
                }
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
