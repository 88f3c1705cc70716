package dev.shoal.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the launcher was asked to do, read once from the environment. Every port is configurable;
 * the service ports follow the gateway port (SHOAL_PORT + 1 … + 4; web-ui the webhook port + 1) unless set one by one, so that
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
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        Duration readyTimeout,
        Optional<String> adminToken,
        List<String> serviceJavaOptions,
        boolean detached) {

    static final int DEFAULT_GATEWAY_PORT = 8080;
    static final int DEFAULT_KAFKA_PORT = 19092;
    static final int DEFAULT_READY_TIMEOUT_SECONDS = 120;
    static final String DEFAULT_SERVICE_JAVA_OPTS = "-Xmx384m -XX:+ExitOnOutOfMemoryError";

    /** {@code postgresPort} 0 means: a free port chosen at start. */
    static LauncherSettings from(Map<String, String> env, Path root, Path home, boolean detached) {
        int gateway = port(env, "SHOAL_PORT", DEFAULT_GATEWAY_PORT);
        int kafka = port(env, "SHOAL_KAFKA_PORT", DEFAULT_KAFKA_PORT);
        String token = env.get("SHOAL_ADMIN_TOKEN");
        String javaOpts = env.getOrDefault("SHOAL_SERVICE_JAVA_OPTS", DEFAULT_SERVICE_JAVA_OPTS);
        return new LauncherSettings(
                root.toAbsolutePath().normalize(),
                home.toAbsolutePath().normalize(),
                gateway,
                port(env, "SHOAL_REPO_PORT", gateway + 1),
                port(env, "SHOAL_ISSUE_PORT", gateway + 2),
                port(env, "SHOAL_PIPELINE_PORT", gateway + 3),
                port(env, "SHOAL_WEBHOOK_PORT", gateway + 4),
                port(env, "SHOAL_WEB_PORT", port(env, "SHOAL_WEBHOOK_PORT", gateway + 4) + 1),
                kafka,
                port(env, "SHOAL_KAFKA_CONTROLLER_PORT", kafka + 1),
                optionalPort(env, "SHOAL_PG_PORT"),
                Duration.ofSeconds(positive(env, "SHOAL_READY_TIMEOUT", DEFAULT_READY_TIMEOUT_SECONDS)),
                token == null || token.isBlank() ? Optional.empty() : Optional.of(token.strip()),
                Arrays.stream(javaOpts.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
                detached);
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
            throw new LaunchFailure(name + " must be a positive number of seconds, got '" + raw + "'");
        }
        return value;
    }

    private static int parse(String name, String raw) {
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new LaunchFailure(name + " must be a whole number, got '" + raw + "'");
        }
    }
}
