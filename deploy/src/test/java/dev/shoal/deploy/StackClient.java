package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end tests' way into the running stack: HTTP through the gateway (every answer's body
 * is kept, so the last scenario can search them all for secrets), git on the command line, and the
 * processes the launcher recorded in {@code pids/}.
 */
final class StackClient {

    private static final Pattern CREATED_REPO = Pattern.compile("/api/v1/orgs/([^/]+)/repos$");
    /** How often a wait asks the stack again: every answer is recorded for the secret scan, and the stack is under test. */
    static final Duration ASK_EVERY = Duration.ofMillis(500);
    private static final Set<String> TERMINAL = Set.of("success", "failure", "error", "cancelled", "killed", "declined", "skipped");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Path home;
    private final String url;
    private final String adminToken;
    private final Map<String, Integer> ports;
    private final Queue<String> bodies = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unrecorded = new AtomicInteger();
    private final Set<String> repos = ConcurrentHashMap.newKeySet();
    private final Map<String, String> secrets = new java.util.concurrent.ConcurrentSkipListMap<>();

    StackClient(Path home, String url, String adminToken, Map<String, Integer> ports) {
        this.home = home;
        this.url = url;
        this.adminToken = adminToken;
        this.ports = Map.copyOf(ports);
    }

    String url() {
        return url;
    }

    String adminToken() {
        return adminToken;
    }

    Path home() {
        return home;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Every response body received so far, except the one-time answers of {@link #sendUnrecorded}. */
    List<String> recordedBodies() {
        return List.copyOf(bodies);
    }

    /** How many answers were left out of {@link #recordedBodies()} because they show a secret once, by design. */
    int unrecordedCount() {
        return unrecorded.get();
    }

    /** Remembers a secret value the suite handed to the stack, for the final scan. */
    void rememberSecret(String label, String value) {
        secrets.put(label, value);
    }

    /** Every secret remembered so far: label → value. */
    Map<String, String> secrets() {
        return Map.copyOf(secrets);
    }

    /** {@code org/name} of every repository the suite created through the gateway. */
    Set<String> createdRepos() {
        return Set.copyOf(repos);
    }

    HttpResponse<String> send(String method, String target, String token, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = exchange(method, target, token, json, Duration.ofSeconds(30));
        bodies.add(response.body());
        Matcher created = CREATED_REPO.matcher(URI.create(target).getPath());
        if (method.equals("POST") && response.statusCode() == 201 && created.find()) {
            repos.add(created.group(1) + "/" + mapper.readTree(response.body()).path("data").path("name").asText());
        }
        return response;
    }

    /**
     * For the answers that show a secret exactly once by design (a new token, a new agent): kept
     * out of the recorded bodies, and counted.
     */
    HttpResponse<String> sendUnrecorded(String method, String target, String token, String json)
            throws IOException, InterruptedException {
        unrecorded.incrementAndGet();
        return exchange(method, target, token, json, Duration.ofSeconds(30));
    }

    HttpResponse<String> get(String target, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = bounded(request.build(), Duration.ofSeconds(60));
        bodies.add(response.body());
        return response;
    }

    /** The answer to a request, within {@code limit} for the whole answer, or an IOException. */
    HttpResponse<String> exchange(String method, String target, String token, String json, Duration limit)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(limit)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return bounded(request.build(), limit.compareTo(Duration.ofSeconds(60)) > 0 ? limit : Duration.ofSeconds(60));
    }

    /**
     * The request's timeout covers only the wait for the headers: a body that never ends (an event
     * stream) would hang the test. Whole answers get {@code limit}, then the test fails instead.
     */
    private HttpResponse<String> bounded(HttpRequest request, Duration limit) throws IOException, InterruptedException {
        try {
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(request.method() + " " + request.uri() + " did not finish within " + limit.toSeconds() + " s", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    JsonNode json(HttpResponse<String> response) {
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.statusCode() + " " + response.body(), e);
        }
    }

    private JsonNode tree(String body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(body, e);
        }
    }

    /** An answer as a wait last saw it: on a timeout, {@link Waits} prints its status and body. */
    record Answer(int status, String body) {

        static Answer of(HttpResponse<String> response) {
            return new Answer(response.statusCode(), response.body());
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /**
     * {@code call} as a source for {@link Waits}: an exception (no answer at all, a refused
     * assertion) fails the wait at once instead of being waited out.
     */
    static <T> Supplier<T> unchecked(Callable<T> call) {
        return () -> {
            try {
                return call.call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Creates an organization and a repository in it as admin; both must be new. */
    void createRepo(String org, String name, boolean isPrivate) throws Exception {
        HttpResponse<String> orgAnswer = send("POST", url + "/api/v1/orgs", adminToken, "{\"name\":\"" + org + "\"}");
        assertThat(orgAnswer.statusCode()).as(orgAnswer.body()).isIn(201, 409);
        HttpResponse<String> repo = send("POST", url + "/api/v1/orgs/" + org + "/repos", adminToken,
                "{\"name\":\"" + name + "\",\"is_private\":" + isPrivate + "}");
        assertThat(repo.statusCode()).as(repo.body()).isEqualTo(201);
    }

    /** A new personal access token of the admin with {@code scopes}; its value is a secret. */
    String newToken(String name, String... scopes) throws Exception {
        HttpResponse<String> created = sendUnrecorded("POST", url + "/api/v1/user/tokens", adminToken,
                mapper.writeValueAsString(Map.of("name", name, "scopes", List.of(scopes))));
        assertThat(created.statusCode()).as("token %s: %d", name, created.statusCode()).isEqualTo(201);
        String token = json(created).path("data").path("token").asText();
        rememberSecret("token " + name, token);
        return token;
    }

    /** The push URL of a repository, with a token as the Basic password. */
    String remote(String org, String repo, String token) {
        return url.replace("http://", "http://e2e:" + token + "@") + "/" + org + "/" + repo + ".git";
    }

    /** A fresh working directory for the test's own git clones, outside the stack's files. */
    Path workspace(String name) throws IOException {
        Path dir = home.resolve("client");
        Files.createDirectories(dir);
        return Files.createTempDirectory(dir, name);
    }

    /** The pipeline once it is in a final status; fails, with the last answer seen, if it is not within {@code limit}. */
    JsonNode finishedPipeline(String pipelineUrl, String token, Duration limit) {
        return pipelineUntil(pipelineUrl, token, limit, StackClient::isTerminal, "a final status of " + pipelineUrl);
    }

    /**
     * The pipeline once it answers 200 with a status {@code done} accepts; fails, with the last
     * answer seen, if it does not within {@code limit}.
     */
    JsonNode pipelineUntil(String pipelineUrl, String token, Duration limit, Predicate<String> done, String what) {
        Answer last = Waits.until(limit, ASK_EVERY, unchecked(() -> Answer.of(get(pipelineUrl, token))),
                answer -> answer.status() == 200 && done.test(tree(answer.body()).path("status").asText()), what);
        return tree(last.body());
    }

    static boolean isTerminal(String status) {
        return TERMINAL.contains(status);
    }

    /** Every pipeline of a repository (the Isurus list, 50 a page). */
    List<JsonNode> pipelines(String org, String repo) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; page < 100; page++) {
            HttpResponse<String> answer = get(url + "/api/v1/repos/" + org + "/" + repo + "/pipelines?per_page=50&page=" + page,
                    adminToken);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode list = json(answer).path("pipelines");
            list.forEach(all::add);
            if (list.size() < 50) {
                break;
            }
        }
        return all;
    }

    long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(home.resolve("pids/" + name + ".pid")).strip());
    }

    /** Sends {@code signal} (KILL, INT, STOP…) to the process the launcher recorded as {@code name}; returns its pid. */
    long signal(String name, String signal) throws Exception {
        long pid = pid(name);
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %s (%d)", signal, name, pid).isZero();
        return pid;
    }

    /**
     * Waits until the launcher has started {@code name} again under a new pid and, for a service,
     * until it answers ready; returns the new pid, or fails after {@code limit} with what it saw last.
     */
    long awaitRestarted(String name, long oldPid, Duration limit) {
        return Waits.until(limit, () -> restartOf(name, oldPid), Restart::done,
                name + " restarted under a new pid and ready (killed pid " + oldPid + ")").pid().orElseThrow();
    }

    /** What the launcher shows of a killed process: the pid it records now, whether that is a new live process, and ready. */
    private record Restart(Optional<Long> pid, boolean newAndAlive, boolean ready) {

        boolean done() {
            return newAndAlive && ready;
        }
    }

    private Restart restartOf(String name, long oldPid) {
        Optional<Long> pid = currentPid(name);
        boolean newAndAlive = pid.filter(p -> p != oldPid).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
        return new Restart(pid, newAndAlive, newAndAlive && ready(name));
    }

    private Optional<Long> currentPid(String name) {
        try {
            return Optional.of(pid(name));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private boolean ready(String name) {
        Integer port = ports.get(name);
        if (port == null) {
            return true;
        }
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs git in {@code dir}, fails the test on a non-zero exit, and returns what it printed on stdout, trimmed. */
    static String git(Path dir, String... args) throws Exception {
        GitResult result = tryGit(dir, args);
        assertThat(result.exitCode()).as("git " + String.join(" ", args) + ": " + result.output()).isZero();
        return result.stdout();
    }

    record GitResult(int exitCode, String stdout, String output) {
    }

    /** Runs git in {@code dir} and returns its exit code and output, whatever they are (bounded to 60 s). */
    static GitResult tryGit(Path dir, String... args) throws Exception {
        return tryGit(dir, Map.of(), args);
    }

    static GitResult tryGit(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("shoal-git", ".out");
        Path errors = Files.createTempFile("shoal-git", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(errors.toFile());
            // A git that would ask for a password on a refused push must fail instead of waiting.
            builder.environment().put("GIT_TERMINAL_PROMPT", "0");
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new GitResult(-1, Files.readString(out).strip(), "timed out after 60 s");
            }
            String output = Files.readString(out);
            return new GitResult(process.exitValue(), output.strip(), output + Files.readString(errors));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(errors);
        }
    }

    static void commitFile(Path work, String file, String content, String message) throws Exception {
        Path target = work.resolve(file);
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Files.writeString(target, content);
        git(work, "add", file);
        git(work, "-c", "user.name=E2E", "-c", "user.email=e2e@example.com", "commit", "-q", "-m", message);
    }
}
