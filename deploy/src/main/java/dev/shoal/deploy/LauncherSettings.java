package dev.shoal.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the launcher was asked to do, read once from the environment. Every port is configurable;
 * the service ports follow the gateway port (SHOAL_PORT + 1 … + 4; web-ui the webhook port + 1; git over SSH the
 * web-ui port + 1) unless set one by one, so that
 * a second stack needs only one variable.
 */
record LauncherSettings(
        Path root,
        Path home,
        int gatewayPort,
        int repoPort,
        int issuePort,
        int pipelinePort,
        int webhookPort,
        int webPort,
        int sshPort,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        Duration readyTimeout,
        Optional<String> adminToken,
        List<String> serviceJavaOptions,
        Map<String, List<String>> perServiceJavaOptions,
        List<String> kafkaJavaOptions,
        List<String> agentJavaOptions,
        Map<String, String> serviceEnvironmentDefaults,
        Map<String, String> postgresConfig,
        Path agentWorkdir,
        boolean classDataSharing,
        boolean detached) {

    static final int DEFAULT_GATEWAY_PORT = 8080;
    static final int DEFAULT_KAFKA_PORT = 19092;
    static final int DEFAULT_READY_TIMEOUT_SECONDS = 120;
    /**
     * Hands the C heap's free pages (left by JIT compilations, class loading, start-up) back to
     * the system every 5 s; glibc keeps them otherwise. Measured: about 20 MB per JVM. Every 30 s
     * (the first setting) left what a load freed resident for up to half a minute, which is when
     * the bench reads the RSS: right after 8 s of wrk a trim by hand still gave back 19 MB of
     * api-gateway and 14 MB of issue-service, and with 5 s issue-service's trims
     * ({@code -Xlog:trimnative}) gave back 3-18 MB each after a load. A trim takes 1-3 ms of one
     * thread.
     */
    static final String TRIM = "-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000";
    /**
     * Netty's pooled allocator makes one arena per event loop (two per core) and each arena takes
     * memory in 4 MiB chunks; two arenas serve two cores' event loops as well with half the chunks.
     */
    static final String NETTY_ARENAS = "-Dio.netty.allocator.numDirectArenas=2 -Dio.netty.allocator.numHeapArenas=2";
    /**
     * JVM options every service gets (SHOAL_SERVICE_JAVA_OPTS replaces them). Sized for a small
     * machine: the serial collector (no GC threads, no region tables; pauses are short on heaps
     * this size), a heap that starts at 16 MB (a service keeps 17-21 MB live after start; from 32 MB
     * its young generation alone was 10 MB of touched pages) and gives memory back at each full GC (all that exceeds
     * MaxHeapFreeRatio at once: -ShrinkHeapInSteps; by default the first full GC gives back
     * nothing, the second a tenth, the fourth the rest), and caps on
     * metaspace and the code cache, which otherwise only ever grow.
     */
    static final String DEFAULT_SERVICE_JAVA_OPTS = "-XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 "
            + "-XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m " + TRIM + " -XX:+ExitOnOutOfMemoryError "
            + NETTY_ARENAS;
    /**
     * The C1 compiler alone, on one thread, with a smaller code cache: for processes whose CPU per
     * request matters less than their memory (web-ui renders a page per click; C2's compiled code
     * and its compiler's arenas are 10-50 MB per JVM). Not for the gateway, repo-service and
     * issue-service: their req/s goals need C2.
     */
    static final String C1_ONLY = "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=32m";
    /**
     * Each service's own options (SHOAL_GATEWAY_JAVA_OPTS, SHOAL_REPO_JAVA_OPTS, ...), added after
     * the common ones so they win. The defaults are heap limits fitted to each service's work:
     * repo-service packs and indexes git data (commit-pack streams to temporary files, so 256m
     * covers its caps); the others hold little more than request state.
     * <p>
     * repo-service's heap also starts at 64 MB with a young generation fixed at 12 MB. JGit's pack
     * window cache (32 MiB) lives in the old generation; a heap that started at 16 MB and grew each
     * time only to a tenth free ran four full collections during start and nine in six
     * commit-packs (none and three with these options; issue 19), and its young generation grew to
     * a third of the heap (30 MB after the bench's loads). After nine clones of an unindexed
     * repository and four commit-packs repo-service was 227 MiB resident against 248 with
     * -Xmx256m alone; clone times and commit-pack MB/s stayed within the machine's noise. A larger
     * MinHeapFreeRatio halved the full collections of such clones but cost 30-55 MiB and no time.
     * <p>
     * web-ui, pipeline-service and webhook-service also run {@link #C1_ONLY}: they answer people,
     * agents and events, not the API loads, and measured on 2 cores (issue 19) pipeline-service
     * drained 584 pipelines a minute with C1 alone against 435 with C2 (whose compiler competes
     * for the same cores), webhook deliveries kept up with the writes either way, and the two used
     * 100 MiB less after load (164 + 146 against 215 + 194). They apply only while
     * SHOAL_SERVICE_JAVA_OPTS is unset, so an operator's own -Xmx there still holds for all.
     */
    static final Map<String, String> DEFAULT_PER_SERVICE_JAVA_OPTS = Map.of(
            "api-gateway", "-Xmx128m",
            "repo-service", "-Xmx256m -Xms64m -Xmn12m",
            "issue-service", "-Xmx128m",
            "pipeline-service", "-Xmx128m " + C1_ONLY,
            "webhook-service", "-Xmx128m " + C1_ONLY,
            "web-ui", "-Xmx96m " + C1_ONLY);
    /**
     * The Kafka broker (SHOAL_KAFKA_JAVA_OPTS): one node, a handful of topics, little traffic. The
     * C1 compiler alone (one compiler thread, no C2 arenas, a smaller code cache): the broker's
     * CPU per event does not matter at a forge's event rate, its memory does. An 8 MB young
     * generation (the default is a third of the heap, 25 MB once the heap has grown): the broker
     * allocates little per event, so it only collects more often, and its eden is not 20 MB of
     * touched pages. {@code -ShrinkHeapInSteps}: every full collection gives back what exceeds
     * MaxHeapFreeRatio, not a tenth of it on the second collection and the rest on the fourth.
     */
    static final String DEFAULT_KAFKA_JAVA_OPTS = "-XX:+UseSerialGC -Xms32m -Xmx160m -Xmn8m -XX:MinHeapFreeRatio=10 "
            + "-XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:MaxMetaspaceSize=128m "
            + "-XX:ReservedCodeCacheSize=32m " + TRIM + " -XX:+ExitOnOutOfMemoryError";
    /**
     * The CI agent (SHOAL_AGENT_JAVA_OPTS): it polls and runs steps as child processes, and keeps
     * about 4 MB live; its heap starts at 8 MB and shrinks back as the services' heaps do.
     */
    static final String DEFAULT_AGENT_JAVA_OPTS = "-XX:+UseSerialGC -Xms8m -Xmx96m -XX:MinHeapFreeRatio=10 "
            + "-XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps -XX:TieredStopAtLevel=1 "
            + "-XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m " + TRIM + " -XX:+ExitOnOutOfMemoryError";

    /**
     * Settings every service gets through its environment unless the launcher's own environment
     * sets the same variable (then the operator's value passes through unchanged): pools sized for
     * 2 cores and a few users. A reactive pool of 10 connections per service keeps PostgreSQL's
     * two cores busy; idle ones close after a minute, so the backends a load opened (about 8 MB
     * each) go away after it. The worker pool (JGit, processes, blocking calls) is created on
     * demand and its idle threads end; 64 caps the stacks a burst can create.
     */
    static final Map<String, String> DEFAULT_SERVICE_ENVIRONMENT = Map.of(
            "QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE", "10",
            "QUARKUS_DATASOURCE_REACTIVE_IDLE_TIMEOUT", "60s",
            "QUARKUS_THREAD_POOL_MAX_THREADS", "64");
    /**
     * PostgreSQL's settings (SHOAL_PG_MAX_CONNECTIONS, SHOAL_PG_SHARED_BUFFERS): 5 services × 10
     * reactive connections plus their JDBC pools (Flyway at start) fit in 100; 32 MB of shared
     * buffers hold a local forge's hot data (the OS page cache holds the rest), where the default
     * 128 MB is touched page by page into every backend.
     */
    static final int DEFAULT_PG_MAX_CONNECTIONS = 100;
    static final String DEFAULT_PG_SHARED_BUFFERS = "32MB";

    /** {@code postgresPort} 0 means: a free port chosen at start. */
    static LauncherSettings from(Map<String, String> env, Path root, Path home, boolean detached) {
        int gateway = port(env, "SHOAL_PORT", DEFAULT_GATEWAY_PORT);
        int kafka = port(env, "SHOAL_KAFKA_PORT", DEFAULT_KAFKA_PORT);
        String token = env.get("SHOAL_ADMIN_TOKEN");
        String javaOpts = env.get("SHOAL_SERVICE_JAVA_OPTS");
        boolean commonSet = javaOpts != null && !javaOpts.isBlank();
        Map<String, List<String>> perService = new LinkedHashMap<>();
        DEFAULT_PER_SERVICE_JAVA_OPTS.keySet().stream().sorted().forEach(service -> {
            String own = env.get(javaOptsVariable(service));
            String options = own != null && !own.isBlank() ? own : commonSet ? "" : DEFAULT_PER_SERVICE_JAVA_OPTS.get(service);
            perService.put(service, options(options));
        });
        return new LauncherSettings(
                root.toAbsolutePath().normalize(),
                home.toAbsolutePath().normalize(),
                gateway,
                port(env, "SHOAL_REPO_PORT", gateway + 1),
                port(env, "SHOAL_ISSUE_PORT", gateway + 2),
                port(env, "SHOAL_PIPELINE_PORT", gateway + 3),
                port(env, "SHOAL_WEBHOOK_PORT", gateway + 4),
                port(env, "SHOAL_WEB_PORT", port(env, "SHOAL_WEBHOOK_PORT", gateway + 4) + 1),
                port(env, "SHOAL_SSH_PORT", port(env, "SHOAL_WEB_PORT", port(env, "SHOAL_WEBHOOK_PORT", gateway + 4) + 1) + 1),
                kafka,
                port(env, "SHOAL_KAFKA_CONTROLLER_PORT", kafka + 1),
                optionalPort(env, "SHOAL_PG_PORT"),
                Duration.ofSeconds(positive(env, "SHOAL_READY_TIMEOUT", DEFAULT_READY_TIMEOUT_SECONDS)),
                token == null || token.isBlank() ? Optional.empty() : Optional.of(token.strip()),
                options(commonSet ? javaOpts : DEFAULT_SERVICE_JAVA_OPTS),
                Map.copyOf(perService),
                options(env.getOrDefault("SHOAL_KAFKA_JAVA_OPTS", DEFAULT_KAFKA_JAVA_OPTS)),
                options(env.getOrDefault("SHOAL_AGENT_JAVA_OPTS", DEFAULT_AGENT_JAVA_OPTS)),
                serviceEnvironmentDefaults(env),
                Map.of("max_connections", String.valueOf(positive(env, "SHOAL_PG_MAX_CONNECTIONS", DEFAULT_PG_MAX_CONNECTIONS)),
                        "shared_buffers", sharedBuffers(env)),
                agentWorkdir(env, home.toAbsolutePath().normalize()),
                flag(env, "SHOAL_APPCDS", true),
                detached);
    }

    /** The defaults of {@link #DEFAULT_SERVICE_ENVIRONMENT} the operator did not set. */
    private static Map<String, String> serviceEnvironmentDefaults(Map<String, String> env) {
        Map<String, String> defaults = new LinkedHashMap<>();
        DEFAULT_SERVICE_ENVIRONMENT.keySet().stream().sorted()
                .filter(name -> env.get(name) == null || env.get(name).isBlank())
                .forEach(name -> defaults.put(name, DEFAULT_SERVICE_ENVIRONMENT.get(name)));
        return Map.copyOf(defaults);
    }

    private static String sharedBuffers(Map<String, String> env) {
        String raw = env.get("SHOAL_PG_SHARED_BUFFERS");
        if (raw == null || raw.isBlank()) {
            return DEFAULT_PG_SHARED_BUFFERS;
        }
        String value = raw.strip();
        if (!value.matches("[1-9][0-9]*(kB|MB|GB)")) {
            throw new LaunchFailure("SHOAL_PG_SHARED_BUFFERS must be a size such as 32MB, 128MB or 1GB, got '" + raw + "'");
        }
        return value;
    }

    /** The variable naming one service's own JVM options: SHOAL_GATEWAY_JAVA_OPTS, SHOAL_REPO_JAVA_OPTS, SHOAL_WEB_JAVA_OPTS, ... */
    static String javaOptsVariable(String service) {
        String key = switch (service) {
            case "api-gateway" -> "GATEWAY";
            case "web-ui" -> "WEB";
            default -> service.replace("-service", "").toUpperCase(Locale.ROOT);
        };
        return "SHOAL_" + key + "_JAVA_OPTS";
    }

    /** The JVM options of one service: the common ones, then its own (the later of two -Xmx wins). */
    List<String> javaOptions(String service) {
        List<String> all = new ArrayList<>(serviceJavaOptions);
        all.addAll(perServiceJavaOptions.getOrDefault(service, List.of()));
        return List.copyOf(all);
    }

    private static List<String> options(String raw) {
        return Arrays.stream(raw.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The CI agent's work directory: {@code SHOAL_AGENT_WORKDIR}, else {@code shoal-agent-<hash of
     * SHOAL_HOME>} in the temporary directory. Never inside SHOAL_HOME: the workspaces hold what
     * steps wrote, and nothing of the stack's keys and data may sit beside them.
     */
    static Path agentWorkdir(Map<String, String> env, Path home) {
        String raw = env.get("SHOAL_AGENT_WORKDIR");
        Path dir;
        if (raw != null && !raw.isBlank()) {
            dir = Path.of(raw.strip()).toAbsolutePath().normalize();
        } else {
            String hash;
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(home.toString().getBytes(StandardCharsets.UTF_8));
                hash = HexFormat.of().formatHex(digest, 0, 6);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            dir = Path.of(System.getProperty("java.io.tmpdir"), "shoal-agent-" + hash).toAbsolutePath().normalize();
        }
        if (dir.startsWith(home) || home.startsWith(dir)) {
            throw new LaunchFailure("SHOAL_AGENT_WORKDIR " + dir + " must be outside SHOAL_HOME " + home
                    + " (CI workspaces do not belong beside the stack's keys and data)");
        }
        return dir;
    }

    String gatewayUrl() {
        return "http://localhost:" + gatewayPort;
    }

    String kafkaBootstrapServers() {
        return "localhost:" + kafkaPort;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int port = parse(name, raw);
        if (port < 1 || port > 65535) {
            throw new LaunchFailure(name + " must be a port number between 1 and 65535, got '" + raw + "'");
        }
        return port;
    }

    private static int optionalPort(Map<String, String> env, String name) {
        String raw = env.get(name);
        return raw == null || raw.isBlank() ? 0 : port(env, name, 0);
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int value = parse(name, raw);
        if (value < 1) {
            throw new LaunchFailure(name + " must be a positive number" + (name.endsWith("_TIMEOUT") ? " of seconds" : "")
                    + ", got '" + raw + "'");
        }
        return value;
    }

    private static boolean flag(Map<String, String> env, String name, boolean fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new LaunchFailure(name + " must be true or false, got '" + raw + "'");
        };
    }

    private static int parse(String name, String raw) {
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new LaunchFailure(name + " must be a whole number, got '" + raw + "'");
        }
    }
}
