package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.testing.FreePorts;
import dev.shoal.platform.testing.Waits;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Starts the whole stack the way a person does, with {@code deploy/up --detach}, on free ports under
 * a temporary SHOAL_HOME, checks it through HTTP, and stops it with {@code deploy/down}. Runs after
 * the reactor has packaged every service (this module's surefire runs in the integration-test phase).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackEndToEndTest {

    private static final List<String> SERVICES =
            List.of("api-gateway", "repo-service", "issue-service", "pipeline-service", "webhook-service", "web-ui");
    private static final List<String> PORT_VARIABLES =
            List.of("SHOAL_PORT", "SHOAL_REPO_PORT", "SHOAL_ISSUE_PORT", "SHOAL_PIPELINE_PORT", "SHOAL_WEBHOOK_PORT", "SHOAL_WEB_PORT");

    private final Path root = Path.of(System.getProperty("shoal.root", "..")).toAbsolutePath().normalize();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private Path home;
    /** Read-only in every sandboxed step (SHOAL_AGENT_SANDBOX_RO_BINDS): how the test signals a running step. */
    private Path flags;
    private Map<String, String> runEnv;
    private Map<String, Long> recordedPids;
    private StackClient client;
    private boolean stopped;

    @BeforeAll
    void startStack() throws Exception {
        home = Files.createTempDirectory("shoal-e2e");
        Set<Integer> taken = new HashSet<>();
        for (String service : SERVICES) {
            ports.put(service, distinctFreePort(taken));
        }
        int kafkaPort = distinctFreePort(taken);
        int controllerPort = distinctFreePort(taken);

        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < SERVICES.size(); i++) {
            env.put(PORT_VARIABLES.get(i), String.valueOf(ports.get(SERVICES.get(i))));
        }
        env.put("SHOAL_KAFKA_PORT", String.valueOf(kafkaPort));
        env.put("SHOAL_KAFKA_CONTROLLER_PORT", String.valueOf(controllerPort));
        // The test's webhook receiver listens on loopback, which deploy/up no longer opens by default.
        env.put("SHOAL_WEBHOOK_ALLOWED_HOSTS", "loopback");
        // The reactor packaged every module just before this test: a nested build would only cost time.
        env.put("SHOAL_BUILD", "never");
        // Steps cannot reach the stack on the loopback (their own network namespace), so a step waits for a
        // file here instead; not under /tmp, which is the sandbox's own tmpfs.
        flags = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "e2e-flags-");
        env.put("SHOAL_AGENT_SANDBOX_RO_BINDS", flags.toString());

        long start = System.nanoTime();
        Result up = run(env, "up", "--detach");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("deploy/up --detach took %.1f s%n", seconds);
        if (up.exitCode() != 0) {
            fail("deploy/up --detach exited with " + up.exitCode() + ":\n" + up.output());
        }
        runEnv = readEnvFile(home.resolve("run.env"));
        recordedPids = readPids();
        client = new StackClient(home, runEnv.get("SHOAL_URL"), runEnv.get("SHOAL_ADMIN_TOKEN"), ports);
    }

    @AfterAll
    void stopStack() throws Exception {
        if (flags != null) {
            Files.deleteIfExists(flags.resolve("go"));
            Files.deleteIfExists(flags);
        }
        if (home == null) {
            return;
        }
        if (!stopped) {
            run(Map.of(), "down");
        }
        if (System.getenv("SHOAL_E2E_KEEP_HOME") != null) {
            // To read the logs of a failed run.
            System.out.println("SHOAL_E2E_KEEP_HOME is set: " + home + " is kept");
            return;
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void runEnvNamesTheGatewayAndTheAdminToken() {
        assertThat(runEnv).containsEntry("SHOAL_URL", "http://localhost:" + ports.get("api-gateway"));
        assertThat(runEnv).containsKey("SHOAL_ADMIN_TOKEN");
        assertThat(home.resolve("ready")).exists();
    }

    @Test
    @Order(2)
    void everyBuiltServiceReportsReadyAndRunsUnderTheLauncher() throws Exception {
        List<String> built = builtServices();
        assertThat(built).as("services with a packaged application").isNotEmpty();
        for (String service : built) {
            HttpResponse<String> response = get("http://localhost:" + ports.get(service) + "/q/health/ready", null);
            assertThat(response.statusCode()).as(service + " readiness").isEqualTo(200);
            assertThat(mapper.readTree(response.body()).path("status").asText()).as(service + " status").isEqualTo("UP");
        }
        List<String> expected = new ArrayList<>(List.of("launcher", "postgres", "kafka"));
        expected.addAll(built);
        assertThat(recordedPids).containsKeys(expected.toArray(String[]::new));
        for (Map.Entry<String, Long> pid : recordedPids.entrySet()) {
            assertThat(ProcessHandle.of(pid.getValue()).map(ProcessHandle::isAlive).orElse(false))
                    .as(pid.getKey() + " (pid " + pid.getValue() + ") is alive").isTrue();
        }
    }

    @Test
    @Order(3)
    void kafkaAnswersOnTheConfiguredPort() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, runEnv.get("SHOAL_KAFKA_BOOTSTRAP_SERVERS"));
        try (Admin admin = Admin.create(props)) {
            assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    @Order(4)
    void theAdminTokenAuthenticatesAsAdminThroughTheGateway() throws Exception {
        String token = runEnv.get("SHOAL_ADMIN_TOKEN");
        assertThat(token).as("SHOAL_ADMIN_TOKEN in run.env").isNotBlank();
        assertThat(Files.readString(home.resolve("admin-token")).strip()).isEqualTo(token);
        HttpResponse<String> response = get(runEnv.get("SHOAL_URL") + "/api/v1/user", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode user = mapper.readTree(response.body()).path("data");
        assertThat(user.path("username").asText()).isEqualTo("admin");
    }

    /**
     * The main journey through the gateway, across every service: an organization and repositories,
     * a real {@code git push} of a pipeline file, the running agent executing it with statuses that
     * follow the commands' exit codes, private repositories hidden, and an issue opened.
     */
    @Test
    @Order(5)
    void pushRunsAPipelineOnTheAgentAndIssuesWork() throws Exception {
        String url = runEnv.get("SHOAL_URL");
        String token = runEnv.get("SHOAL_ADMIN_TOKEN");
        assertThat(send("POST", url + "/api/v1/orgs", token, "{\"name\":\"journey\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", url + "/api/v1/orgs/journey/repos", token, "{\"name\":\"app\",\"is_private\":false}")
                .statusCode()).isEqualTo(201);
        assertThat(send("POST", url + "/api/v1/orgs/journey/repos", token, "{\"name\":\"secret\",\"is_private\":true}")
                .statusCode()).isEqualTo(201);

        Path work = client.workspace("work");
        Files.writeString(work.resolve(".shoal.yml"), String.join("\n",
                "steps:", "  - name: greet", "    image: alpine", "    commands:", "      - echo journey-marker",
                "  - name: fail", "    image: alpine", "    commands:", "      - exit 3", ""));
        git(work, "init", "-q", "-b", "main");
        git(work, "add", ".");
        git(work, "-c", "user.name=E2E", "-c", "user.email=e2e@example.com", "commit", "-q", "-m", "pipeline");
        String remote = url.replace("http://", "http://e2e:" + token + "@") + "/journey/app.git";
        git(work, "push", "-q", remote, "main");

        // The private repository's pipeline proves the agent clones with its pipeline's clone credential.
        git(work, "push", "-q", url.replace("http://", "http://e2e:" + token + "@") + "/journey/secret.git", "main");

        for (String repo : List.of("app", "secret")) {
            JsonNode pipeline = finishedPipeline(url + "/api/v1/repos/journey/" + repo + "/pipelines/1", token);
            assertThat(pipeline.path("status").asText()).as(pipeline.toString()).isEqualTo("failure");
            assertThat(pipeline.path("steps").get(0).path("status").asText()).isEqualTo("success");
            assertThat(pipeline.path("steps").get(1).path("status").asText()).isEqualTo("failure");
            assertThat(pipeline.path("steps").get(1).path("exit_code").asInt()).isEqualTo(3);
            assertThat(get(url + "/api/v1/repos/journey/" + repo + "/pipelines/1/steps/1/log", token).body())
                    .contains("journey-marker");
        }

        assertThat(get(url + "/api/v1/repos/journey/app/tree/", null).body()).contains(".shoal.yml");
        HttpResponse<String> hidden = get(url + "/api/v1/repos/journey/secret", null);
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(hidden.body()).contains("\"not_found\"");

        HttpResponse<String> issue = send("POST", url + "/api/v1/repos/journey/app/issues", token,
                "{\"title\":\"Found a bug\",\"body\":\"steps\"}");
        assertThat(issue.statusCode()).as(issue.body()).isEqualTo(201);
        assertThat(mapper.readTree(issue.body()).path("data").path("state").asText()).isEqualTo("new");
        assertThat(get(url + "/api/v1/repos/journey/app/issues?state=new", null).body()).contains("Found a bug");
    }

    /**
     * Bad input on every route of the gateway's table, against the real services: malformed JSON,
     * wrong types, arrays, empty and non-JSON bodies, unknown and non-numeric ids. Nothing may answer
     * 5xx, and every refusal must be an envelope (Isurus, or Pagure's under /api/0) without a stack
     * trace or SQL in it.
     */
    @Test
    @Order(6)
    void everyRouteAnswersBadInputWithAnEnvelopeAndNeverAServerError() throws Exception {
        String url = runEnv.get("SHOAL_URL");
        String token = runEnv.get("SHOAL_ADMIN_TOKEN");
        send("POST", url + "/api/v1/orgs", token, "{\"name\":\"sweep\"}");
        send("POST", url + "/api/v1/orgs/sweep/repos", token, "{\"name\":\"target\"}");
        List<String> bodies = List.of("{\"name\": ", "{\"name\": 5, \"title\": [], \"body\": {}, \"scopes\": \"x\", \"events\": 3}",
                "[1,2]", "", "{\"name\": \"" + "x".repeat(5000) + "\"}");
        List<String> problems = new ArrayList<>();
        int sent = 0;
        for (String line : Files.readAllLines(root.resolve("api-gateway/src/main/resources/routes.table"))) {
            String[] cols = line.strip().split("\\s+");
            if (line.isBlank() || line.strip().startsWith("#") || cols.length < 6 || cols[2].equals("web")
                    || cols[3].equals("agent") || cols[3].equals("storage") || cols[1].contains(".git")
                    || cols[1].startsWith("/api/stream/")) {
                // Event streams answer 200 and stay open by design: their refusals are tested in pipeline-service.
            // Web pages answer HTML, not the envelope: WebUiScenarios drives them with a browser.
                continue;
            }
            String method = cols[0];
            String template = cols[1].replace("{org}", "sweep").replace("{repo}", "target").replace("{path*}", "README.md")
                    .replace("{username}", "admin").replace("{branch}", "main").replace("{tag}", "v1");
            boolean namesAnId = template.matches(".*\\{[a-z_]+\\}.*");
            if (method.equals("DELETE") && !namesAnId) {
                continue;
            }
            for (String id : List.of("999999999", "abc")) {
                String path = template.replaceAll("\\{[a-z_]+\\}", id);
                List<HttpResponse<String>> answers = new ArrayList<>();
                if (method.equals("GET") || method.equals("DELETE")) {
                    answers.add(send(method, url + path, token, null));
                } else {
                    for (String body : bodies) {
                        answers.add(send(method, url + path, token, body));
                    }
                }
                for (HttpResponse<String> answer : answers) {
                    sent++;
                    String problem = problem(answer, Dialect.of(path));
                    if (problem != null) {
                        problems.add(method + " " + path + ": " + problem);
                    }
                }
            }
        }
        System.out.printf("bad-input sweep: %d requests over the route table%n", sent);
        assertThat(problems).as("answers to bad input").isEmpty();
        assertThat(sent).isGreaterThan(500);
    }

    /** The pipeline once it is in a final status; fails, with the last answer seen, if it is not within 90 s. */
    private JsonNode finishedPipeline(String pipelineUrl, String token) {
        return client.finishedPipeline(pipelineUrl, token, Duration.ofSeconds(90));
    }

    /** Whose error shape a path answers in: Isurus's envelope, Pagure's, Code Storage's, or Drone's and Woodpecker's. */
    private enum Dialect {
        ISURUS, PAGURE, STORAGE, CI;

        static Dialect of(String path) {
            if (path.startsWith("/api/0/")) {
                return PAGURE;
            }
            if (path.startsWith("/storage/api/")) {
                return STORAGE;
            }
            return path.startsWith("/api/v1/") || path.startsWith("/storage/") ? ISURUS : CI;
        }
    }

    private String problem(HttpResponse<String> answer, Dialect dialect) {
        int status = answer.statusCode();
        String body = answer.body();
        if (status >= 500) {
            return "answered " + status + ": " + body;
        }
        if (body.contains("Exception") || body.contains("at dev.shoal") || body.contains("SQL")) {
            return "leaks internals: " + body;
        }
        if (status < 400) {
            return null;
        }
        boolean json = answer.headers().firstValue("Content-Type").orElse("").contains("json");
        if (dialect == Dialect.CI && !json) {
            // Drone and Woodpecker answer some refusals as plain text: it must still say something.
            return body.isBlank() ? "answered " + status + " with an empty body" : null;
        }
        try {
            JsonNode root = mapper.readTree(body);
            JsonNode error = root.path("error");
            boolean envelope = switch (dialect) {
                case PAGURE -> error.isTextual();
                case STORAGE -> error.isTextual() && root.path("code").isTextual();
                case ISURUS -> error.path("code").isTextual() && error.path("message").isTextual();
                case CI -> root.path("message").isTextual() || error.isTextual()
                        || error.path("code").isTextual() && error.path("message").isTextual();
            };
            return envelope ? null : "answered " + status + " without the error envelope: " + body;
        } catch (IOException e) {
            return "answered " + status + " with a body that is not JSON: " + body;
        }
    }

    /**
     * The assembled OpenAPI document and the gateway's route table name exactly the same
     * operations: a route nobody documented, or a documented path the gateway never routes, fails.
     */
    @Test
    @Order(7)
    void theOpenApiDocumentCoversExactlyTheRouteTable() throws Exception {
        HttpResponse<String> answer = get(runEnv.get("SHOAL_URL") + "/api/v1/openapi.json", null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode document = mapper.readTree(answer.body());
        assertThat(document.has("x-shoal-missing")).as("services left out: " + document.path("x-shoal-missing")).isFalse();
        Set<String> documented = new java.util.TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (List.of("get", "put", "post", "patch", "delete").contains(method)) {
                documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + shape(path.getKey()));
            }
        }));
        Set<String> routed = new java.util.TreeSet<>();
        Set<String> routable = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(root.resolve("api-gateway/src/main/resources/routes.table"))) {
            String[] cols = line.strip().split("\\s+");
            // web pages are not API operations: they are not in the OpenAPI document
            if (!line.isBlank() && !line.strip().startsWith("#") && cols.length >= 6 && !cols[2].equals("web")) {
                routed.add(cols[0] + " " + shape(cols[1]));
                routable.add(cols[0] + " " + shape(cols[1]));
                if (cols[1].endsWith("*}")) {
                    // {path*} may be empty: /tree/{path*} also routes /tree
                    routable.add(cols[0] + " " + shape(cols[1].substring(0, cols[1].lastIndexOf('/'))));
                }
            }
        }
        Set<String> undocumented = new java.util.TreeSet<>(routed);
        undocumented.removeAll(documented);
        Set<String> unrouted = new java.util.TreeSet<>(documented);
        unrouted.removeAll(routable);
        assertThat(undocumented).as("routes of the table missing from /api/v1/openapi.json").isEmpty();
        assertThat(unrouted).as("documented operations the gateway does not route").isEmpty();
    }

    /** A path with its query and parameter names dropped: /api/v1/repos/{}/{}/tree/{}. */
    private static String shape(String path) {
        int query = path.indexOf('?');
        return (query < 0 ? path : path.substring(0, query)).replaceAll("\\{[^}]*\\}", "{}");
    }

    /**
     * Issue #8's crash scenario on the real stack: webhook-service is killed with SIGKILL while a
     * thousand deliveries are pending; the launcher starts it again, and every delivery arrives,
     * each under one delivery id (a redelivery repeats the same id and body, never a new one).
     */
    @Test
    @Order(8)
    void webhookDeliveriesSurviveAKilledWebhookService() throws Exception {
        String url = runEnv.get("SHOAL_URL");
        String admin = runEnv.get("SHOAL_ADMIN_TOKEN");
        int issues = 1000;
        assertThat(send("POST", url + "/api/v1/orgs", admin, "{\"name\":\"hooked\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", url + "/api/v1/orgs/hooked/repos", admin, "{\"name\":\"busy\"}").statusCode()).isEqualTo(201);
        client.rememberSecret("webhook secret of hooked/busy", "s3cret-hook");
        try (HookReceiver receiver = new HookReceiver()) {
            HttpResponse<String> hook = send("POST", url + "/api/v1/repos/hooked/busy/webhooks", admin,
                    "{\"url\":\"" + receiver.url() + "\",\"secret\":\"s3cret-hook\",\"events\":[\"issue\"],\"parallel\":true}");
            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
            // Each writer uses a token of its own: the gateway's per-token rate limit stays on.
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tokens.add(client.newToken("hook-writer-" + i, "write"));
            }
            java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(tokens.size());
            java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
            List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int w = 0; w < tokens.size(); w++) {
                String token = tokens.get(w);
                int first = w * issues / tokens.size();
                int last = (w + 1) * issues / tokens.size();
                writers.submit(() -> {
                    for (int i = first; i < last; i++) {
                        try {
                            HttpResponse<String> r = send("POST", url + "/api/v1/repos/hooked/busy/issues", token,
                                    "{\"title\":\"load " + i + "\"}");
                            if (r.statusCode() == 201) {
                                accepted.incrementAndGet();
                            } else {
                                refused.add(r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            refused.add(e.toString());
                        }
                    }
                    return null;
                });
            }
            // Kill it mid-stream: some deliveries are out, most are events or rows not yet sent.
            Waits.until(Duration.ofSeconds(120), () -> receiver.distinct() >= 50,
                    () -> "50 deliveries before the kill; seen " + receiver.distinct() + ", writes refused " + refused);
            long webhookPid = Long.parseLong(Files.readString(home.resolve("pids/webhook-service.pid")).strip());
            new ProcessBuilder("kill", "-9", String.valueOf(webhookPid)).start().waitFor();
            int atKill = receiver.distinct();
            writers.shutdown();
            assertThat(writers.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
            assertThat(refused).as("issue writes refused").isEmpty();
            assertThat(accepted.get()).isEqualTo(issues);

            Waits.until(Duration.ofMinutes(4), () -> receiver.distinct() >= issues,
                    () -> "distinct issue deliveries: " + receiver.distinct() + " of " + issues + " in " + receiver.requests()
                            + " requests; killed pid " + webhookPid + " after " + atKill + " deliveries");
            long restartedPid = Long.parseLong(Files.readString(home.resolve("pids/webhook-service.pid")).strip());
            System.out.printf("webhook crash: killed pid %d after %d deliveries; restarted as %d; %d distinct deliveries "
                    + "in %d requests%n", webhookPid, atKill, restartedPid, receiver.distinct(), receiver.requests());
            assertThat(restartedPid).as("the launcher restarted webhook-service").isNotEqualTo(webhookPid);
            assertThat(atKill).as("deliveries made before the kill").isLessThan(issues);
            assertThat(receiver.distinct()).as("distinct issue deliveries").isEqualTo(issues);
            assertThat(receiver.conflicting()).as("delivery ids reused for different bodies").isEmpty();
            Set<String> titles = new HashSet<>();
            for (String body : receiver.bodies().values()) {
                titles.add(mapper.readTree(body).path("issue").path("title").asText());
            }
            assertThat(titles).as("one delivery per issue").hasSize(issues);
        }
    }

    /**
     * Issue #12's broker outage: Kafka frozen (SIGSTOP) for 30 s. Writes keep being accepted (the
     * outbox holds their events in PostgreSQL), and once the broker is back every event reaches
     * its consumers: each issue written during the outage is delivered to the webhook receiver.
     */
    @Test
    @Order(9)
    void writesDuringAThirtySecondBrokerOutageAreDeliveredAfterwards() throws Exception {
        String url = runEnv.get("SHOAL_URL");
        String admin = runEnv.get("SHOAL_ADMIN_TOKEN");
        int issues = 20;
        assertThat(send("POST", url + "/api/v1/orgs", admin, "{\"name\":\"outage\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", url + "/api/v1/orgs/outage/repos", admin, "{\"name\":\"calm\"}").statusCode()).isEqualTo(201);
        long kafka = Long.parseLong(Files.readString(home.resolve("pids/kafka.pid")).strip());
        client.rememberSecret("webhook secret of outage/calm", "outage-hook");
        try (HookReceiver receiver = new HookReceiver()) {
            HttpResponse<String> hook = send("POST", url + "/api/v1/repos/outage/calm/webhooks", admin,
                    "{\"url\":\"" + receiver.url() + "\",\"secret\":\"outage-hook\",\"events\":[\"issue\"]}");
            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
            new ProcessBuilder("kill", "-STOP", String.valueOf(kafka)).start().waitFor();
            long frozenAt = System.nanoTime();
            try {
                for (int i = 0; i < issues; i++) {
                    HttpResponse<String> created = send("POST", url + "/api/v1/repos/outage/calm/issues", admin,
                            "{\"title\":\"during the outage " + i + "\"}");
                    assertThat(created.statusCode()).as("write %d while Kafka is down: %s", i, created.body()).isEqualTo(201);
                }
                // Kafka stays frozen for 30 s in all, and nothing may be delivered meanwhile.
                Duration left = Duration.ofSeconds(30).minusNanos(System.nanoTime() - frozenAt);
                if (!left.isNegative() && !left.isZero()) {
                    Waits.holds(left, () -> receiver.distinct() == 0,
                            () -> "deliveries while the broker was frozen: " + receiver.distinct());
                }
                assertThat(receiver.distinct()).as("deliveries while the broker was frozen").isZero();
            } finally {
                new ProcessBuilder("kill", "-CONT", String.valueOf(kafka)).start().waitFor();
            }
            Waits.until(Duration.ofMinutes(3), () -> receiver.distinct() >= issues,
                    () -> "issue deliveries after the outage: " + receiver.distinct() + " of " + issues);
            System.out.printf("broker outage: %d issues written while Kafka was frozen for 30 s, %d delivered after%n",
                    issues, receiver.distinct());
            assertThat(receiver.distinct()).as("issue deliveries after the outage").isEqualTo(issues);
        }
    }

    /**
     * The published {@code drone-node} client (npm, 2.2.0, unmodified) through a Drone user's journey:
     * get self, list repositories, get the repository, list builds, get a build, read a step's log
     * lines, restart with a parameter, cancel. The script is {@code deploy/e2e/drone/journey.js}; its
     * dependencies are installed with {@code npm ci} under {@code deploy/target/e2e-drone}. Without
     * node/npm or the npm registry the test is skipped, saying so; any other failure fails it.
     */
    @Test
    @Order(20)
    void droneNodeClientWalksBuildsLogsRestartAndCancel() throws Exception {
        String url = runEnv.get("SHOAL_URL");
        String token = runEnv.get("SHOAL_ADMIN_TOKEN");
        Path work = nodeProject("drone", "journey.js");

        assertThat(send("POST", url + "/api/v1/orgs", token, "{\"name\":\"drone\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", url + "/api/v1/orgs/drone/repos", token, "{\"name\":\"app\",\"is_private\":false}")
                .statusCode()).isEqualTo(201);
        Path repo = client.workspace("drone");
        // A Drone pipeline file: the second step holds the build while $HOLD is set (a restart parameter).
        Files.writeString(repo.resolve(".drone.yml"), String.join("\n",
                "kind: pipeline", "name: default", "steps:",
                "  - name: greet", "    image: alpine", "    commands:", "      - echo drone-marker",
                "  - name: hold", "    image: alpine", "    commands:", "      - if [ -n \"$HOLD\" ]; then sleep 120; fi", ""));
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=E2E", "-c", "user.email=e2e@example.com", "commit", "-q", "-m", "drone pipeline");
        git(repo, "push", "-q", url.replace("http://", "http://e2e:" + token + "@") + "/drone/app.git", "main");
        JsonNode first = finishedPipeline(url + "/api/v1/repos/drone/app/pipelines/1", token);
        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("success");

        // The pushed commit's message and author must come back on the builds (issue 21).
        Result journey = exec(work, Map.of("SHOAL_URL", url, "SHOAL_TOKEN", token, "DRONE_OWNER", "drone",
                "DRONE_REPO", "app", "DRONE_COMMIT_MESSAGE", "drone pipeline", "DRONE_AUTHOR_NAME", "E2E",
                "DRONE_AUTHOR_EMAIL", "e2e@example.com"), 180, "node", "journey.js");
        assertThat(journey.exitCode()).as(journey.output()).isZero();
        assertThat(journey.output()).contains("author=E2E", "getLogs:", "retryBuild: #2", "cancelBuild: #2 killed", "journey complete");
        JsonNode cancelled = mapper.readTree(get(url + "/api/v1/repos/drone/app/pipelines/2", token).body());
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
    }

    private boolean commandWorks(Path dir, String... command) {
        try {
            return exec(dir, Map.of(), 60, command).exitCode() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private Result exec(Path dir, Map<String, String> env, int timeoutSeconds, String... command) throws Exception {
        Path output = Files.createTempFile("shoal-exec", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n" + Files.readString(output));
        }
        String text = Files.readString(output);
        Files.delete(output);
        System.out.println(text);
        return new Result(process.exitValue(), text);
    }

    /**
     * Issue #6's pull requests on the real stack: branches pushed with git, pull requests merged the
     * three ways, each result read back with git; a conflicting one is 409 and moves nothing.
     */
    @Test
    @Order(10)
    void pullRequestsMergeThreeWaysAndAConflictChangesNothing() throws Exception {
        String url = runEnv.get("SHOAL_URL");
        String token = runEnv.get("SHOAL_ADMIN_TOKEN");
        assertThat(send("POST", url + "/api/v1/orgs", token, "{\"name\":\"review\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", url + "/api/v1/orgs/review/repos", token, "{\"name\":\"site\"}").statusCode()).isEqualTo(201);
        String remote = url.replace("http://", "http://e2e:" + token + "@") + "/review/site.git";
        Path work = client.workspace("pulls");
        git(work, "init", "-q", "-b", "main");
        commitFile(work, "a.txt", "one\n", "base");
        git(work, "push", "-q", remote, "main");
        String base = git(work, "rev-parse", "HEAD");
        branch(work, base, "f-merge", "m.txt", "merge me");
        branch(work, base, "f-squash", "s1.txt", "squash one");
        commitFile(work, "s2.txt", "two\n", "squash two");
        String squashHead = git(work, "rev-parse", "HEAD");
        branch(work, base, "f-rebase", "r.txt", "rebase me");
        String rebaseOriginal = git(work, "rev-parse", "HEAD");
        branch(work, base, "f-edit", "a.txt", "edit a");
        branch(work, base, "f-conflict", "a.txt", "conflicting edit");
        git(work, "push", "-q", remote, "f-merge", "f-squash", "f-rebase", "f-edit", "f-conflict");

        mergePull(url, token, "f-merge", "merge", 200);
        String head = fetchMain(work, remote);
        assertThat(git(work, "rev-list", "--parents", "-n", "1", head).split(" ")).as("a merge commit").hasSize(3);
        assertThat(git(work, "ls-tree", "--name-only", head)).contains("m.txt");

        mergePull(url, token, "f-squash", "squash", 200);
        head = fetchMain(work, remote);
        assertThat(git(work, "rev-list", "--parents", "-n", "1", head).split(" ")).as("one squashed commit").hasSize(2);
        assertThat(git(work, "ls-tree", "--name-only", head)).contains("s1.txt", "s2.txt");
        assertThat(git(work, "log", "--format=%H", head)).doesNotContain(squashHead);

        mergePull(url, token, "f-rebase", "rebase", 200);
        head = fetchMain(work, remote);
        assertThat(git(work, "rev-list", "--parents", "-n", "1", head).split(" ")).as("a rebased commit").hasSize(2);
        assertThat(git(work, "log", "-1", "--format=%s", head)).isEqualTo("rebase me");
        assertThat(git(work, "log", "--format=%H", head)).doesNotContain(rebaseOriginal);

        mergePull(url, token, "f-edit", "merge", 200);
        String beforeConflict = fetchMain(work, remote);
        HttpResponse<String> conflict = mergePull(url, token, "f-conflict", "merge", 409);
        assertThat(conflict.body()).contains("a.txt");
        assertThat(fetchMain(work, remote)).as("main after the refused merge").isEqualTo(beforeConflict);
        assertThat(git(work, "show", beforeConflict + ":a.txt")).isEqualTo("edit a");
    }

    private static void commitFile(Path work, String file, String content, String message) throws Exception {
        StackClient.commitFile(work, file, content, message);
    }

    /** A branch from {@code base} with one commit writing {@code message} into {@code file}. */
    private static void branch(Path work, String base, String name, String file, String message) throws Exception {
        git(work, "checkout", "-q", "-b", name, base);
        commitFile(work, file, message + "\n", message);
    }

    private static String fetchMain(Path work, String remote) throws Exception {
        git(work, "fetch", "-q", remote, "main");
        return git(work, "rev-parse", "FETCH_HEAD");
    }

    private HttpResponse<String> mergePull(String url, String token, String branch, String method, int expected) throws Exception {
        HttpResponse<String> created = send("POST", url + "/api/v1/repos/review/site/pulls", token,
                "{\"title\":\"" + branch + "\",\"source_bookmark\":\"" + branch + "\",\"target_branch\":\"main\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long number = mapper.readTree(created.body()).path("data").path("number").asLong();
        HttpResponse<String> merged = send("POST", url + "/api/v1/repos/review/site/pulls/" + number + "/merge", token,
                "{\"method\":\"" + method + "\"}");
        assertThat(merged.statusCode()).as(method + " of " + branch + ": " + merged.body()).isEqualTo(expected);
        if (expected == 200) {
            assertThat(mapper.readTree(merged.body()).path("data").path("status").asText()).isEqualTo("merged");
        }
        return merged;
    }

    /**
     * Issue #7 on the real stack: a {@code .woodpecker.yml} push runs on the agent; then the agent is
     * killed with SIGKILL in the middle of a step, its lease expires, the pipeline goes back to the
     * queue and the restarted agent runs it to the end.
     */
    @Test
    @Order(11)
    void woodpeckerFilesRunAndAKilledAgentsPipelineRunsAgain() throws Exception {
        String url = runEnv.get("SHOAL_URL");
        String token = runEnv.get("SHOAL_ADMIN_TOKEN");
        assertThat(send("POST", url + "/api/v1/orgs", token, "{\"name\":\"agents\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", url + "/api/v1/orgs/agents/repos", token, "{\"name\":\"wood\"}").statusCode()).isEqualTo(201);
        Path work = client.workspace("wood");
        git(work, "init", "-q", "-b", "main");
        // The first run stops in 'slow' long enough to be killed; the run after the lease expiry finds the flag.
        // Steps are sandboxed, with their own network (the gateway on the loopback is out of their reach): the
        // flag is a file in the one test directory bound read-only into every sandbox.
        Path flag = flags.resolve("go");
        commitFile(work, ".woodpecker.yml", String.join("\n", "steps:", "  - name: hello", "    image: alpine",
                "    commands:", "      - echo woodpecker-marker", "  - name: slow", "    image: alpine", "    commands:",
                "      - if [ ! -e " + flag + " ]; then echo first-run; sleep 120; fi",
                ""), "woodpecker pipeline");
        git(work, "push", "-q", url.replace("http://", "http://e2e:" + token + "@") + "/agents/wood.git", "main");

        String pipelineUrl = url + "/api/v1/repos/agents/wood/pipelines/1";
        Waits.until(Duration.ofSeconds(90), StackClient.unchecked(() -> StackClient.Answer.of(get(pipelineUrl + "/steps/2/log", token))),
                log -> log.status() == 200 && log.body().contains("first-run"), "the first run reaching the slow step (its log)");
        Files.writeString(flag, "go\n");
        long agentPid = Long.parseLong(Files.readString(home.resolve("pids/ci-agent.pid")).strip());
        new ProcessBuilder("kill", "-9", String.valueOf(agentPid)).start().waitFor();

        JsonNode pipeline = client.pipelineUntil(pipelineUrl, token, Duration.ofSeconds(150),
                status -> status.equals("success") || status.equals("failure"), "success or failure of " + pipelineUrl);
        long restartedAgent = Long.parseLong(Files.readString(home.resolve("pids/ci-agent.pid")).strip());
        assertThat(restartedAgent).as("the launcher restarted the agent").isNotEqualTo(agentPid);
        assertThat(pipeline.path("status").asText()).as(String.valueOf(pipeline)).isEqualTo("success");
        assertThat(pipeline.path("steps").get(1).path("status").asText()).isEqualTo("success");
        assertThat(get(pipelineUrl + "/steps/1/log", token).body()).contains("woodpecker-marker");
    }

    /**
     * Issue #12's crash scenario: under a steady load of issues, comments and git pushes (each a
     * pipeline on the agent, each an event to a webhook), repo-service, issue-service,
     * pipeline-service and the gateway are killed with SIGKILL in turn and restarted by the launcher.
     * Every accepted write is there, each event reached the webhook exactly once, and every
     * pipeline finishes ({@link ResilienceScenarios#killEachServiceUnderLoad}).
     */
    @Test
    @Order(12)
    void servicesKilledInTurnUnderLoadLoseNothingAndDeliverEachEventOnce() throws Exception {
        List<String> victims = new ArrayList<>(List.of("repo-service", "issue-service", "pipeline-service", "api-gateway"));
        victims.retainAll(builtServices());
        new ResilienceScenarios(client).killEachServiceUnderLoad(victims);
    }

    /**
     * Issue #12's database restart: PostgreSQL stopped under the running services and started again
     * by the launcher; no service restarted ({@link ResilienceScenarios#restartPostgres}).
     */
    @Test
    @Order(13)
    void postgresRestartedUnderTheServicesKeepsWritesAndDrainsTheOutbox() throws Exception {
        new ResilienceScenarios(client).restartPostgres(builtServices());
    }

    /**
     * Issue #7 on the real stack: a {@code .drone.yml} push runs on the agent, and the statuses
     * follow the commands' exit codes: all zero is success; a step exiting 4 fails with exit code 4.
     */
    @Test
    @Order(14)
    void droneFilesRunOnTheAgentWithStatusesOfTheirExitCodes() throws Exception {
        String url = runEnv.get("SHOAL_URL");
        String token = runEnv.get("SHOAL_ADMIN_TOKEN");
        client.createRepo("dronefile", "app", false);
        Path work = client.workspace("dronefile");
        git(work, "init", "-q", "-b", "main");
        commitFile(work, ".drone.yml", String.join("\n", "kind: pipeline", "type: exec", "name: default", "steps:",
                "  - name: greet", "    commands:", "      - echo drone-file-marker", ""), "drone pipeline");
        git(work, "push", "-q", client.remote("dronefile", "app", token), "main");
        JsonNode passing = finishedPipeline(url + "/api/v1/repos/dronefile/app/pipelines/1", token);
        assertThat(passing.path("status").asText()).as(passing.toString()).isEqualTo("success");
        assertThat(get(url + "/api/v1/repos/dronefile/app/pipelines/1/steps/1/log", token).body()).contains("drone-file-marker");

        commitFile(work, ".drone.yml", String.join("\n", "kind: pipeline", "type: exec", "name: default", "steps:",
                "  - name: greet", "    commands:", "      - echo drone-file-marker", "  - name: broken", "    commands:",
                "      - echo before-exit", "      - exit 4", ""), "a failing step");
        git(work, "push", "-q", client.remote("dronefile", "app", token), "main");
        JsonNode failing = finishedPipeline(url + "/api/v1/repos/dronefile/app/pipelines/2", token);
        assertThat(failing.path("status").asText()).as(failing.toString()).isEqualTo("failure");
        assertThat(failing.path("steps").get(0).path("status").asText()).isEqualTo("success");
        assertThat(failing.path("steps").get(1).path("status").asText()).isEqualTo("failure");
        assertThat(failing.path("steps").get(1).path("exit_code").asInt()).isEqualTo(4);
        assertThat(get(url + "/api/v1/repos/dronefile/app/pipelines/2/steps/2/log", token).body()).contains("before-exit");
    }

    /** Issue #7's and #12's secrets in a pipeline's log, and in refusals ({@link SecretChecks#pipelineSecretIsMasked}). */
    @Test
    @Order(15)
    void ciSecretsAreMaskedInStoredLogsAndRefusalsDoNotRepeatSecrets() throws Exception {
        new SecretChecks(client).pipelineSecretIsMasked();
    }

    /**
     * Issue 25: steps that try to read the agent token, the stack's keys and tokens, another
     * pipeline's workspace and the repositories, to kill the agent, or to connect to the stack's
     * PostgreSQL, Kafka and gateway on the loopback, all fail; no token reaches a stored log; the
     * same agent runs the next pipeline ({@link SandboxEscapes}).
     */
    @Test
    @Order(16)
    void stepsCannotReachTheAgentOrTheStacksSecrets() throws Exception {
        System.out.println(new SandboxEscapes(client, home).everyAttemptFailsAndTheAgentKeepsWorking());
    }

    /**
     * Issue #5's SDK check: the unmodified {@code @pierre/storage} SDK (npm, 1.17.1) against the
     * stack's Code Storage API: registers an issuer, creates a repository, commits with
     * createCommit and createCommitFromDiff, reads files back, lists branches and commits, diffs
     * ({@code deploy/e2e/storage/storage-e2e.mjs}).
     */
    @Test
    @Order(21)
    void codeStorageSdkWalksCommitsFilesBranchesAndDiffs() throws Exception {
        Path work = nodeProject("storage", "storage-e2e.mjs");
        Result sdk = exec(work, Map.of("SHOAL_URL", runEnv.get("SHOAL_URL"), "SHOAL_ADMIN_TOKEN", runEnv.get("SHOAL_ADMIN_TOKEN")),
                180, "node", "storage-e2e.mjs");
        assertThat(sdk.exitCode()).as(sdk.output()).isZero();
        assertThat(sdk.output()).contains("ok   createRepo", "ok   createCommit (commit-pack)").doesNotContain("FAIL");
    }

    /**
     * Copies {@code deploy/e2e/<name>} (package.json, package-lock.json, the script) under
     * {@code deploy/target/e2e-<name>} and installs it with {@code npm ci}. Without node/npm or the
     * npm registry the calling test is skipped, saying so; any other failure fails it.
     */
    private Path nodeProject(String name, String script) throws Exception {
        Path work = root.resolve("deploy/target/e2e-" + name);
        Assumptions.assumeTrue(commandWorks(root, "node", "--version"), "node is not installed: the " + name + " journey needs it");
        Assumptions.assumeTrue(commandWorks(root, "npm", "--version"), "npm is not installed: the " + name + " journey needs it");
        Files.createDirectories(work);
        for (String file : List.of("package.json", "package-lock.json", script)) {
            Files.copy(root.resolve("deploy/e2e").resolve(name).resolve(file), work.resolve(file),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Result install = exec(work, Map.of(), 300, "npm", "ci", "--no-audit", "--no-fund");
        if (install.exitCode() != 0) {
            boolean offline = install.output().matches("(?s).*(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|"
                    + "network|getaddrinfo|unable to get local issuer|self.signed certificate).*");
            Assumptions.assumeFalse(offline, "npm ci cannot reach the npm registry, " + name + " journey skipped:\n"
                    + install.output());
            fail("npm ci failed:\n" + install.output());
        }
        return work;
    }

    /**
     * Last before deploy/down: no token, webhook secret or CI secret the suite handed to the stack
     * appears in any file under SHOAL_HOME (but the few meant to hold them), any stored step log or
     * any answer the suite received, except the one-time create answers
     * ({@link SecretChecks#nothingLeaks}).
     */
    /**
     * Issue #20: the web interface in a real browser, through the gateway like every other client
     * ({@link WebUiScenarios}). deploy/up gave the admin a web password, kept in SHOAL_HOME.
     */
    @Test
    @Order(16)
    void aPersonWorksThroughTheWebInterfaceInABrowser() throws Exception {
        Assumptions.assumeTrue(System.getenv("SHOAL_E2E_SKIP_BROWSER") == null, "SHOAL_E2E_SKIP_BROWSER is set");
        assertThat(WebUiScenarios.browserAvailable()).as("chromium at " + WebUiScenarios.CHROMIUM
                + " (apt-get install -y chromium, or set SHOAL_E2E_SKIP_BROWSER)").isTrue();
        String url = runEnv.get("SHOAL_URL");
        String adminPassword = Files.readString(home.resolve("admin-password")).strip();
        HttpResponse<String> signIn = send("POST", url + "/api/v1/login", null,
                "{\"username\":\"admin\",\"password\":\"" + adminPassword + "\"}");
        assertThat(signIn.statusCode()).as("the admin signs in with the password deploy/up set: " + signIn.statusCode()).isEqualTo(201);
        try (WebUiScenarios web = new WebUiScenarios(url, runEnv.get("SHOAL_ADMIN_TOKEN"), adminPassword,
                root.resolve("deploy/target/screenshots"))) {
            web.journey(Files.createTempDirectory(home, "web"));
        }
    }

    @Test
    @Order(99)
    void noSecretAppearsInFilesStepLogsOrAnswers() throws Exception {
        new SecretChecks(client).nothingLeaks(home);
    }

    @Test
    @Order(100)
    void downStopsEveryRecordedProcess() throws Exception {
        Map<String, Long> beforeDown = readPids();
        Result down = run(Map.of(), "down");
        stopped = true;
        assertThat(down.exitCode()).as(down.output()).isZero();
        for (Map.Entry<String, Long> pid : recordedPids.entrySet()) {
            assertThat(ProcessHandle.of(pid.getValue()).map(ProcessHandle::isAlive).orElse(false))
                    .as(pid.getKey() + " (pid " + pid.getValue() + ") still alive after deploy/down").isFalse();
        }
        for (Map.Entry<String, Long> pid : beforeDown.entrySet()) {
            assertThat(ProcessHandle.of(pid.getValue()).map(ProcessHandle::isAlive).orElse(false))
                    .as(pid.getKey() + " (restarted, pid " + pid.getValue() + ") still alive after deploy/down").isFalse();
        }
        try (Stream<Path> left = Files.list(home.resolve("pids"))) {
            assertThat(left.toList()).as("pid files left").isEmpty();
        }
        assertThat(home.resolve("ready")).doesNotExist();
    }

    private List<String> builtServices() {
        return SERVICES.stream()
                .filter(s -> Files.isRegularFile(root.resolve(s).resolve("target/quarkus-app/quarkus-run.jar")))
                .toList();
    }

    private Result run(Map<String, String> extraEnv, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("deploy").resolve(script).toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("shoal-" + script, ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // Only what this test sets: a developer's own SHOAL_* variables must not leak in.
        builder.environment().keySet().removeIf(key -> key.startsWith("SHOAL_"));
        builder.environment().put("SHOAL_HOME", home.toString());
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("deploy/" + script + " did not return within 5 minutes:\n" + Files.readString(output));
        }
        String text = Files.readString(output);
        Files.delete(output);
        System.out.println(text);
        return new Result(process.exitValue(), text);
    }

    private record Result(int exitCode, String output) {
    }

    private HttpResponse<String> send(String method, String url, String token, String json)
            throws IOException, InterruptedException {
        return client.send(method, url, token, json);
    }

    private HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        return client.get(url, token);
    }

    private static String git(Path dir, String... args) throws Exception {
        return StackClient.git(dir, args);
    }

    private Map<String, String> readEnvFile(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    private Map<String, Long> readPids() throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(home.resolve("pids"))) {
            for (Path file : files.toList()) {
                pids.put(file.getFileName().toString().replaceFirst("\\.pid$", ""),
                        Long.parseLong(Files.readString(file).strip()));
            }
        }
        return pids;
    }

    private static int distinctFreePort(Set<Integer> taken) {
        while (true) {
            int port = FreePorts.next();
            if (taken.add(port)) {
                return port;
            }
        }
    }
}
