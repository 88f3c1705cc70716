package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.platform.testing.Waits;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Issue #12's crash scenarios on the running stack: services killed with SIGKILL under a steady
 * load of writes, and PostgreSQL stopped and started again under the services. Each ends by
 * checking that what the stack accepted is there and that every event was delivered exactly once.
 */
final class ResilienceScenarios {

    private static final String MARKER = "crash-load-step";

    private final StackClient client;

    ResilienceScenarios(StackClient client) {
        this.client = client;
    }

    /**
     * Kills each service in {@code victims} in turn with SIGKILL while {@link LoadGenerator} writes,
     * waits until the launcher has it ready again, then checks writes, git, webhook deliveries and
     * pipelines. Returns a one-line summary for the report.
     */
    String killEachServiceUnderLoad(List<String> victims) throws Exception {
        String org = "crash";
        String repo = "load";
        String url = client.url();
        client.createRepo(org, repo, false);
        String hookSecret = "crash-hook-" + UUID.randomUUID();
        client.rememberSecret("webhook secret of crash/load", hookSecret);
        String token = client.newToken("crash-load", "write");
        try (HookReceiver receiver = new HookReceiver()) {
            HttpResponse<String> hook = client.send("POST", url + "/api/v1/repos/crash/load/webhooks", client.adminToken(),
                    "{\"url\":\"" + receiver.url() + "\",\"secret\":\"" + hookSecret
                            + "\",\"events\":[\"push\",\"issue\",\"pipeline\"],\"parallel\":true}");
            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);

            Path work = client.workspace("crash");
            StackClient.git(work, "init", "-q", "-b", "main");
            StackClient.commitFile(work, ".shoal.yml", String.join("\n", "steps:", "  - name: build", "    image: alpine",
                    "    commands:", "      - echo " + MARKER + " $CI_COMMIT_BRANCH", ""), "pipeline for the load");
            StackClient.git(work, "push", "-q", client.remote(org, repo, token), "main");
            LoadGenerator.Push first = new LoadGenerator.Push("refs/heads/main", StackClient.git(work, "rev-parse", "HEAD"));

            long start = System.nanoTime();
            Map<String, Double> restartSeconds = new LinkedHashMap<>();
            List<String> killedAt = new ArrayList<>();
            LoadGenerator load = new LoadGenerator(client, org, repo, token, work);
            load.start();
            try {
                awaitWritesAccepted(load, "before the first kill");
                for (String victim : victims) {
                    long kill = System.nanoTime();
                    long pid = client.signal(victim, "KILL");
                    killedAt.add(String.format("%s at +%.1f s", victim, (kill - start) / 1e9));
                    client.awaitRestarted(victim, pid, Duration.ofSeconds(180));
                    restartSeconds.put(victim, (System.nanoTime() - kill) / 1e9);
                    // The load runs against the restarted service before the next kill.
                    awaitWritesAccepted(load, "after " + victim + " was restarted");
                }
            } finally {
                load.stop();
            }
            double loadSeconds = (System.nanoTime() - start) / 1e9;

            System.out.println("crash under load: kills " + killedAt + "; answers slower than 10 s: " + load.slowWrites());
            assertThat(load.badAnswers()).as("writes answered neither with success nor with a clean 5xx envelope").isEmpty();
            List<LoadGenerator.Push> pushes = new ArrayList<>(load.pushes());
            pushes.add(0, first);
            Map<Long, String> issues = load.issues();
            assertThat(issues).as("issues accepted under load").hasSizeGreaterThan(10);
            assertThat(pushes).as("pushes accepted under load").hasSizeGreaterThan(4);

            checkIssues(org, repo, issues);
            checkGit(org, repo, token, pushes);
            int events = checkDeliveries(receiver, pushes, issues, load.comments());
            Map<String, Long> statuses = checkPipelines(org, repo, pushes, receiver);

            String summary = String.format("crash under load: %d writes tried in %.0f s (%d issues, %d comments, %d pushes accepted; "
                            + "%d refused while a service was down); killed and restarted %s; %d push and issue deliveries checked exactly once, "
                            + "%d pipeline deliveries; pipelines %s; whole scenario %.0f s",
                    load.attempts(), loadSeconds, issues.size(), load.comments().size(), pushes.size(), load.refused(),
                    restartSeconds.entrySet().stream().map(e -> String.format("%s (%.1f s)", e.getKey(), e.getValue()))
                            .collect(Collectors.joining(", ")),
                    events, receiver.distinct("pipeline"), statuses, (System.nanoTime() - start) / 1e9);
            System.out.println(summary);
            return summary;
        }
    }

    /**
     * Until the load has had an issue and a push accepted from now on: the stack serves both kinds of
     * write, so the next kill happens under load.
     */
    private static void awaitWritesAccepted(LoadGenerator load, String when) {
        int issues = load.issues().size();
        int pushes = load.pushes().size();
        Waits.until(Duration.ofSeconds(90), () -> load.issues().size() > issues && load.pushes().size() > pushes,
                () -> String.format("an issue and a push accepted %s: issues %d → %d, pushes %d → %d; %d writes refused so far, "
                        + "bad answers %s", when, issues, load.issues().size(), pushes, load.pushes().size(), load.refused(),
                        load.badAnswers()));
    }

    /** Every issue answered 201 is there, under its number, with its title. */
    private void checkIssues(String org, String repo, Map<Long, String> issues) throws Exception {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<Long, String> issue : issues.entrySet()) {
            HttpResponse<String> answer = client.get(client.url() + "/api/v1/repos/" + org + "/" + repo + "/issues/"
                    + issue.getKey(), client.adminToken());
            String title = answer.statusCode() == 200 ? client.json(answer).path("data").path("title").asText() : null;
            if (!issue.getValue().equals(title)) {
                missing.add("#" + issue.getKey() + " " + issue.getValue() + " → " + answer.statusCode() + " " + answer.body());
            }
        }
        assertThat(missing).as("accepted issues missing or changed").isEmpty();
    }

    /** Every accepted push is in a fresh clone's history, each branch at its pushed commit or later, and fsck is clean. */
    private void checkGit(String org, String repo, String token, List<LoadGenerator.Push> pushes) throws Exception {
        Path clone = client.workspace("crash-clone").resolve("repo");
        StackClient.git(clone.getParent(), "clone", "-q", "--mirror", client.remote(org, repo, token), clone.toString());
        StackClient.GitResult fsck = StackClient.tryGit(clone, "fsck", "--full", "--strict");
        assertThat(fsck.exitCode()).as("git fsck of a fresh clone: " + fsck.output()).isZero();
        Set<String> history = new HashSet<>(StackClient.git(clone, "rev-list", "--all").lines().toList());
        Map<String, String> last = new LinkedHashMap<>();
        List<String> lost = new ArrayList<>();
        for (LoadGenerator.Push push : pushes) {
            last.put(push.ref(), push.sha());
            if (!history.contains(push.sha())) {
                lost.add(push.ref() + " " + push.sha());
            }
        }
        assertThat(lost).as("accepted pushes missing from the repository").isEmpty();
        for (Map.Entry<String, String> ref : last.entrySet()) {
            StackClient.GitResult ancestor = StackClient.tryGit(clone, "merge-base", "--is-ancestor", ref.getValue(), ref.getKey());
            assertThat(ancestor.exitCode()).as("%s holds its last accepted push %s: %s", ref.getKey(), ref.getValue(),
                    ancestor.output()).isZero();
        }
    }

    /**
     * Waits (bounded) until each accepted write's event arrived, then checks that no fact was
     * delivered twice under two delivery ids: one push per (ref, after), one {@code opened} per
     * issue, one {@code commented} per comment. Returns how many deliveries were checked.
     */
    private int checkDeliveries(HookReceiver receiver, List<LoadGenerator.Push> pushes, Map<Long, String> issues,
            Set<Long> comments) throws Exception {
        Set<String> expectedPushes = pushes.stream().map(p -> p.ref() + " " + p.sha()).collect(Collectors.toSet());
        Set<String> expectedIssues = new HashSet<>();
        issues.keySet().forEach(n -> expectedIssues.add("opened #" + n));
        comments.forEach(id -> expectedIssues.add("commented " + id));
        Function<HookReceiver.Delivery, String> pushKey = d -> field(d, "ref") + " " + field(d, "after");
        Function<HookReceiver.Delivery, String> issueKey = d -> {
            JsonNode body = body(d);
            String action = body.path("action").asText();
            return action.equals("commented") ? "commented " + body.path("comment").path("id").asLong()
                    : action + " #" + body.path("issue").path("number").asLong();
        };
        Waits.untilAsserted(Duration.ofSeconds(90), () -> {
            assertThat(missing(expectedPushes, receiver.deliveries("push"), pushKey))
                    .as("accepted pushes never delivered to the webhook").isEmpty();
            assertThat(missing(expectedIssues, receiver.deliveries("issue"), issueKey))
                    .as("accepted issues and comments never delivered to the webhook").isEmpty();
        });
        assertThat(duplicates(receiver.deliveries("push"), pushKey)).as("ref updates delivered more than once").isEmpty();
        // Only the facts made once (an issue opened, a comment added); other actions may recur by design.
        List<HookReceiver.Delivery> onceEach = receiver.deliveries("issue").stream()
                .filter(d -> List.of("opened", "commented").contains(body(d).path("action").asText())).toList();
        assertThat(duplicates(onceEach, issueKey)).as("issue events delivered more than once").isEmpty();
        assertThat(receiver.conflicting()).as("delivery ids reused for different bodies").isEmpty();
        return receiver.deliveries("push").size() + receiver.deliveries("issue").size();
    }

    /** The keys of {@code expected} that no delivery has. */
    private static <K> Set<K> missing(Set<K> expected, List<HookReceiver.Delivery> deliveries,
            Function<HookReceiver.Delivery, K> key) {
        Set<K> missing = new HashSet<>(expected);
        deliveries.stream().map(key).toList().forEach(missing::remove);
        return missing;
    }

    private static List<String> pushesWithoutExactlyOnePipeline(List<JsonNode> pipelines, List<LoadGenerator.Push> pushes) {
        Map<String, List<Integer>> byCommit = new HashMap<>();
        for (JsonNode p : pipelines) {
            byCommit.computeIfAbsent("refs/heads/" + p.path("branch").asText() + " " + p.path("commit_node").asText(),
                    k -> new ArrayList<>()).add(p.path("number").asInt());
        }
        List<String> notOnce = new ArrayList<>();
        for (LoadGenerator.Push push : pushes) {
            List<Integer> numbers = byCommit.getOrDefault(push.ref() + " " + push.sha(), List.of());
            if (numbers.size() != 1) {
                notOnce.add(push.ref() + " " + push.sha() + " → pipelines " + numbers);
            }
        }
        return notOnce;
    }

    /**
     * A repository's pipelines as one look saw them: those not finished yet, and the accepted pushes
     * without exactly one pipeline (the two lists a failed wait prints).
     */
    private record PipelinesSeen(List<JsonNode> pipelines, List<String> unfinished, List<String> notOnce) {

        PipelinesSeen(List<JsonNode> pipelines, List<LoadGenerator.Push> pushes) {
            this(pipelines, pipelines.stream().filter(p -> !StackClient.isTerminal(p.path("status").asText()))
                    .map(p -> "#" + p.path("number").asInt() + " " + p.path("status").asText()).toList(),
                    pushesWithoutExactlyOnePipeline(pipelines, pushes));
        }

        boolean settled() {
            return unfinished.isEmpty() && notOnce.isEmpty();
        }

        @Override
        public String toString() {
            return "accepted pushes without exactly one pipeline " + notOnce + ", pipelines not finished " + unfinished;
        }
    }

    /**
     * Every pipeline reaches a final status within a deadline; each accepted push made exactly one
     * pipeline, announced once; the successful ones have their step's log.
     */
    private Map<String, Long> checkPipelines(String org, String repo, List<LoadGenerator.Push> pushes, HookReceiver receiver)
            throws Exception {
        // A killed pipeline-service's consumers resume only after Kafka has expired the dead members
        // (session timeout): pushes made meanwhile get their pipelines late, not never. Wait for both.
        List<JsonNode> pipelines = Waits.until(Duration.ofSeconds(120), Duration.ofSeconds(1),
                StackClient.unchecked(() -> new PipelinesSeen(client.pipelines(org, repo), pushes)), PipelinesSeen::settled,
                "every accepted push with exactly one pipeline, and every pipeline finished, 120 s after the load stopped")
                .pipelines();

        Function<HookReceiver.Delivery, String> createdKey = d -> {
            JsonNode body = body(d);
            return body.path("action").asText().equals("created") ? "#" + body.path("pipeline").path("number").asInt() : null;
        };
        Set<String> expected = pipelines.stream().map(p -> "#" + p.path("number").asInt()).collect(Collectors.toSet());
        Waits.untilAsserted(Duration.ofSeconds(30), () -> assertThat(missing(expected, receiver.deliveries("pipeline"), createdKey))
                .as("pipelines whose pipeline.created never reached the webhook").isEmpty());
        List<HookReceiver.Delivery> created = receiver.deliveries("pipeline").stream().filter(d -> createdKey.apply(d) != null).toList();
        assertThat(duplicates(created, createdKey)).as("pipeline.created delivered more than once").isEmpty();

        Map<String, Long> statuses = new TreeMap<>(pipelines.stream()
                .collect(Collectors.groupingBy(p -> p.path("status").asText(), Collectors.counting())));
        assertThat(statuses.getOrDefault("success", 0L)).as("successful pipelines among " + statuses).isPositive();
        List<String> withoutLog = new ArrayList<>();
        for (JsonNode p : pipelines) {
            if (p.path("status").asText().equals("success")) {
                String log = client.get(client.url() + "/api/v1/repos/" + org + "/" + repo + "/pipelines/"
                        + p.path("number").asInt() + "/steps/1/log", client.adminToken()).body();
                if (!log.contains(MARKER + " " + p.path("branch").asText())) {
                    withoutLog.add("#" + p.path("number").asInt() + ": " + log);
                }
            }
        }
        assertThat(withoutLog).as("successful pipelines whose step log lacks the step's output").isEmpty();
        return statuses;
    }

    /**
     * PostgreSQL stopped (SIGINT, its fast shutdown) under the running services: the launcher starts
     * it again on the same port and data directory. Writes before are kept, writes during fail with a
     * 5xx envelope within a bound, writes after succeed with no service restarted, and the outbox
     * delivers the events of all accepted writes.
     */
    String restartPostgres(List<String> services) throws Exception {
        String org = "dbrestart";
        String repo = "app";
        String url = client.url();
        client.createRepo(org, repo, false);
        String hookSecret = "db-hook-" + UUID.randomUUID();
        client.rememberSecret("webhook secret of dbrestart/app", hookSecret);
        String issuesUrl = url + "/api/v1/repos/" + org + "/" + repo + "/issues";
        try (HookReceiver receiver = new HookReceiver()) {
            HttpResponse<String> hook = client.send("POST", url + "/api/v1/repos/" + org + "/" + repo + "/webhooks",
                    client.adminToken(), "{\"url\":\"" + receiver.url() + "\",\"secret\":\"" + hookSecret
                            + "\",\"events\":[\"issue\"],\"parallel\":true}");
            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
            Map<Long, String> accepted = new TreeMap<>();
            for (int i = 0; i < 5; i++) {
                accepted.putAll(write(issuesUrl, "before the restart " + i, true));
            }
            Map<String, Long> servicePids = new LinkedHashMap<>();
            for (String service : services) {
                servicePids.put(service, client.pid(service));
            }

            long start = System.nanoTime();
            long oldPostgres = client.signal(PostgresKeeper.NAME, "INT");
            OutageWrites during = new OutageWrites(issuesUrl, oldPostgres, accepted);
            Waits.until(Duration.ofSeconds(90), Duration.ofMillis(200), StackClient.unchecked(during::acceptedByRestartedPostgres)::get,
                    () -> "a write accepted by the restarted PostgreSQL; " + during);
            double outage = (System.nanoTime() - start) / 1e9;
            assertThat(during.bad).as("writes while PostgreSQL restarted that were not a clean 502/503/504 envelope").isEmpty();
            assertThat(during.refused).as("writes refused while PostgreSQL was down (the outage must be seen)").isPositive();
            for (int i = 0; i < 5; i++) {
                accepted.putAll(write(issuesUrl, "after the restart " + i, true));
            }
            for (Map.Entry<String, Long> service : servicePids.entrySet()) {
                assertThat(client.pid(service.getKey())).as(service.getKey() + " was not restarted").isEqualTo(service.getValue());
            }
            checkIssues(org, repo, accepted);

            Waits.untilAsserted(Duration.ofSeconds(60), () -> assertThat(missing(accepted.keySet(), receiver.deliveries("issue"),
                    d -> body(d).path("issue").path("number").asLong())).as("accepted issues whose event never reached the webhook").isEmpty());
            List<HookReceiver.Delivery> opened = receiver.deliveries("issue").stream()
                    .filter(d -> body(d).path("action").asText().equals("opened")).toList();
            assertThat(duplicates(opened, d -> "#" + body(d).path("issue").path("number").asLong()))
                    .as("issues delivered more than once").isEmpty();

            String summary = String.format("PostgreSQL restart: %d writes accepted (before, during, after), %d refused cleanly "
                            + "during %.1f s until the first write succeeded (slowest answer %.1f s); no service restarted; "
                            + "%d deliveries", accepted.size(), during.refused, outage, during.slowest, receiver.distinct("issue"));
            System.out.println(summary);
            return summary;
        }
    }

    /**
     * The writes made while PostgreSQL restarts, one a call: each accepted one goes into
     * {@code accepted}; each refused one must be a 5xx envelope the client may retry (502, 503,
     * 504), never a 500 "unexpected error" or no answer within 20 s, else it is listed in {@code bad}.
     */
    private final class OutageWrites {

        private final String issuesUrl;
        private final long stoppedPostgres;
        private final Map<Long, String> accepted;
        private final List<String> bad = new ArrayList<>();
        private int refused;
        private int written;
        private double slowest;

        OutageWrites(String issuesUrl, long stoppedPostgres, Map<Long, String> accepted) {
            this.issuesUrl = issuesUrl;
            this.stoppedPostgres = stoppedPostgres;
            this.accepted = accepted;
        }

        /** Writes one issue; true when it was accepted and PostgreSQL runs under a new pid. */
        boolean acceptedByRestartedPostgres() throws Exception {
            String title = "during the restart " + written++;
            long sent = System.nanoTime();
            HttpResponse<String> answer;
            try {
                answer = client.exchange("POST", issuesUrl, client.adminToken(), "{\"title\":\"" + title + "\"}",
                        Duration.ofSeconds(20));
            } catch (java.io.IOException e) {
                bad.add(title + ": no answer within 20 s: " + e);
                return false;
            }
            slowest = Math.max(slowest, (System.nanoTime() - sent) / 1e9);
            if (answer.statusCode() == 201) {
                accepted.put(client.json(answer).path("data").path("number").asLong(), title);
                return client.pid(PostgresKeeper.NAME) != stoppedPostgres;
            }
            refused++;
            JsonNode error = client.json(answer).path("error");
            if (answer.statusCode() <= 500 || !error.path("code").isTextual() || !error.path("message").isTextual()) {
                bad.add(title + ": " + answer.statusCode() + " " + answer.body());
            }
            return false;
        }

        @Override
        public String toString() {
            return String.format("%d writes, %d refused, slowest answer %.1f s, not a clean envelope: %s", written, refused,
                    slowest, bad);
        }
    }

    private Map<Long, String> write(String issuesUrl, String title, boolean mustSucceed) throws Exception {
        HttpResponse<String> answer = client.send("POST", issuesUrl, client.adminToken(), "{\"title\":\"" + title + "\"}");
        if (mustSucceed) {
            assertThat(answer.statusCode()).as(title + ": " + answer.body()).isEqualTo(201);
        }
        return Map.of(client.json(answer).path("data").path("number").asLong(), title);
    }

    /** Keys delivered under more than one delivery id, with those ids. */
    private static Map<String, List<String>> duplicates(List<HookReceiver.Delivery> deliveries,
            Function<HookReceiver.Delivery, String> key) {
        return deliveries.stream().collect(Collectors.groupingBy(key, Collectors.mapping(HookReceiver.Delivery::id,
                Collectors.toList()))).entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private String field(HookReceiver.Delivery delivery, String name) {
        return body(delivery).path(name).asText();
    }

    private JsonNode body(HookReceiver.Delivery delivery) {
        try {
            return client.mapper().readTree(delivery.body());
        } catch (java.io.IOException e) {
            return client.mapper().createObjectNode();
        }
    }
}
