package dev.shoal.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's settings, from environment variables:
 * {@code SHOAL_URL} (gateway base URL, required), {@code SHOAL_AGENT_TOKEN} (required),
 * {@code SHOAL_AGENT_WORKDIR} (workspaces; default a temp directory), {@code SHOAL_AGENT_LABELS}
 * ({@code k=v,k2=v2}, passed to steps as CI_AGENT_LABELS; the server matches on the labels the
 * agent was registered with), {@code SHOAL_AGENT_POLL_WAIT} (long-poll seconds, default 30),
 * {@code SHOAL_AGENT_STEP_TIMEOUT} (default 60m), {@code SHOAL_AGENT_HEARTBEAT} (default 5s).
 */
public record AgentConfig(URI baseUrl, String token, Path workdir, Map<String, String> labels, int pollWait,
                          Duration stepTimeout, Duration heartbeat) {

    public static AgentConfig fromEnvironment(Map<String, String> env) {
        String url = require(env, "SHOAL_URL");
        String token = require(env, "SHOAL_AGENT_TOKEN");
        Path workdir = Path.of(env.getOrDefault("SHOAL_AGENT_WORKDIR",
                Path.of(System.getProperty("java.io.tmpdir"), "shoal-agent").toString()));
        Map<String, String> labels = new TreeMap<>();
        String rawLabels = env.getOrDefault("SHOAL_AGENT_LABELS", "");
        for (String pair : rawLabels.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("SHOAL_AGENT_LABELS must be key=value pairs separated by commas");
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        int wait = Integer.parseInt(env.getOrDefault("SHOAL_AGENT_POLL_WAIT", "30"));
        if (wait < 0 || wait > 30) {
            throw new IllegalArgumentException("SHOAL_AGENT_POLL_WAIT must be 0-30 seconds");
        }
        return new AgentConfig(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), token, workdir,
                labels, wait, duration(env.getOrDefault("SHOAL_AGENT_STEP_TIMEOUT", "60m"), "SHOAL_AGENT_STEP_TIMEOUT"),
                duration(env.getOrDefault("SHOAL_AGENT_HEARTBEAT", "5s"), "SHOAL_AGENT_HEARTBEAT"));
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return value.trim();
    }

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, or a plain number of seconds. */
    static Duration duration(String raw, String name) {
        String v = raw.trim();
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            char unit = v.charAt(v.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 500ms, 30s, 10m or 2h");
        }
    }
}
