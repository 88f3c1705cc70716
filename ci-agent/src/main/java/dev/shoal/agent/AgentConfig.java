package dev.shoal.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The agent's settings, from environment variables:
 * {@code SHOAL_URL} (gateway base URL, required), {@code SHOAL_AGENT_TOKEN_FILE} (required: a file
 * holding the token, readable by the agent's user only), {@code SHOAL_AGENT_WORKDIR} (workspaces;
 * default a temp directory), {@code SHOAL_AGENT_LABELS} ({@code k=v,k2=v2}, passed to steps as
 * CI_AGENT_LABELS; the server matches on the labels the agent was registered with),
 * {@code SHOAL_AGENT_POLL_WAIT} (long-poll seconds, default 30), {@code SHOAL_AGENT_STEP_TIMEOUT}
 * (default 60m), {@code SHOAL_AGENT_HEARTBEAT} (default 5s), {@code SHOAL_AGENT_BWRAP} (the
 * bubblewrap binary, default {@code /usr/bin/bwrap}), {@code SHOAL_AGENT_SANDBOX_RO_BINDS} (more
 * host directories steps see read-only, comma-separated), {@code SHOAL_AGENT_SANDBOX_NETWORK}
 * ({@code isolated}, the default: own network namespace reaching out through slirp4netns, the host's
 * loopback unreachable; {@code none}: no network; {@code host}: the host's network, local services
 * included), {@code SHOAL_AGENT_SLIRP4NETNS} (default the first on the PATH, else
 * {@code /usr/bin/slirp4netns}), {@code SHOAL_AGENT_UNSAFE_HOST_STEPS}
 * ({@code true} lets steps run unsandboxed on the host when neither a container engine nor the
 * sandbox works; default false).
 *
 * <p>The token is never taken from an environment variable: the agent cannot remove a variable
 * from its own {@code /proc/self/environ}, which every process of its user can read.
 */
public record AgentConfig(URI baseUrl, String token, Path workdir, Map<String, String> labels, int pollWait,
                          Duration stepTimeout, Duration heartbeat, Path bwrap, List<Path> sandboxReadOnly,
                          boolean unsafeHostSteps, Sandbox.Network sandboxNetwork, Path slirp4netns) {

    static final String DEFAULT_BWRAP = "/usr/bin/bwrap";
    static final String DEFAULT_SLIRP4NETNS = "/usr/bin/slirp4netns";

    /** Settings for tests: the sandbox at its default place, no extra binds, the unsafe switch off, the isolated network. */
    public AgentConfig(URI baseUrl, String token, Path workdir, Map<String, String> labels, int pollWait,
                       Duration stepTimeout, Duration heartbeat) {
        this(baseUrl, token, workdir, labels, pollWait, stepTimeout, heartbeat, Path.of(DEFAULT_BWRAP), List.of(), false);
    }

    /** Settings for tests: the isolated network with slirp4netns at its default place. */
    public AgentConfig(URI baseUrl, String token, Path workdir, Map<String, String> labels, int pollWait,
                       Duration stepTimeout, Duration heartbeat, Path bwrap, List<Path> sandboxReadOnly,
                       boolean unsafeHostSteps) {
        this(baseUrl, token, workdir, labels, pollWait, stepTimeout, heartbeat, bwrap, sandboxReadOnly, unsafeHostSteps,
                Sandbox.Network.ISOLATED, Path.of(DEFAULT_SLIRP4NETNS));
    }

    @Override
    public String toString() {
        return "AgentConfig[" + baseUrl + ", workdir=" + workdir + ", bwrap=" + bwrap + ", sandboxNetwork="
                + sandboxNetwork.setting() + ", unsafeHostSteps=" + unsafeHostSteps + "]"; // never the token
    }

    public static AgentConfig fromEnvironment(Map<String, String> env) {
        String url = require(env, "SHOAL_URL");
        if (env.containsKey("SHOAL_AGENT_TOKEN")) {
            throw new IllegalArgumentException("SHOAL_AGENT_TOKEN is not read: a variable in the agent's environment can be "
                    + "read by every process of its user (/proc/<pid>/environ). Put the token in a file only the agent's "
                    + "user can read (chmod 600) and set SHOAL_AGENT_TOKEN_FILE to its path");
        }
        String token = readToken(Path.of(require(env, "SHOAL_AGENT_TOKEN_FILE")));
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
        List<Path> readOnly = new ArrayList<>();
        for (String raw : env.getOrDefault("SHOAL_AGENT_SANDBOX_RO_BINDS", "").split(",")) {
            if (raw.isBlank()) {
                continue;
            }
            Path dir = Path.of(raw.strip());
            if (!dir.isAbsolute()) {
                throw new IllegalArgumentException("SHOAL_AGENT_SANDBOX_RO_BINDS must list absolute paths separated by commas");
            }
            readOnly.add(dir.normalize());
        }
        String unsafe = env.getOrDefault("SHOAL_AGENT_UNSAFE_HOST_STEPS", "false").strip();
        if (!unsafe.equals("true") && !unsafe.equals("false")) {
            throw new IllegalArgumentException("SHOAL_AGENT_UNSAFE_HOST_STEPS must be true or false");
        }
        return new AgentConfig(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), token, workdir,
                labels, wait, duration(env.getOrDefault("SHOAL_AGENT_STEP_TIMEOUT", "60m"), "SHOAL_AGENT_STEP_TIMEOUT"),
                duration(env.getOrDefault("SHOAL_AGENT_HEARTBEAT", "5s"), "SHOAL_AGENT_HEARTBEAT"),
                binary(env, "SHOAL_AGENT_BWRAP", "bwrap", DEFAULT_BWRAP), List.copyOf(readOnly),
                unsafe.equals("true"), network(env),
                binary(env, "SHOAL_AGENT_SLIRP4NETNS", "slirp4netns", DEFAULT_SLIRP4NETNS));
    }

    private static Sandbox.Network network(Map<String, String> env) {
        String raw = env.getOrDefault("SHOAL_AGENT_SANDBOX_NETWORK", "isolated").strip();
        for (Sandbox.Network n : Sandbox.Network.values()) {
            if (n.setting().equals(raw)) {
                return n;
            }
        }
        throw new IllegalArgumentException("SHOAL_AGENT_SANDBOX_NETWORK must be isolated (the default: steps reach out "
                + "through slirp4netns, not the host's local services), none (no network) or host (the host's network, "
                + "its local services included); not '" + raw + "'");
    }

    /** The variable {@code name}, else the first {@code program} on the PATH, else {@code fallback}. */
    private static Path binary(Map<String, String> env, String name, String program, String fallback) {
        String set = env.get(name);
        if (set != null && !set.isBlank()) {
            return Path.of(set.strip());
        }
        for (String dir : env.getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        return Path.of(fallback);
    }

    /**
     * The token in {@code file}, which others may not read (like ssh with a private key: a token
     * anyone on the machine can read is no secret). Group read is allowed for Kubernetes, whose
     * secret volumes get the pod's {@code fsGroup}.
     */
    static String readToken(Path file) {
        try {
            Set<PosixFilePermission> mode = file.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? Files.getPosixFilePermissions(file) : Set.of();
            if (mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.OTHERS_WRITE)
                    || mode.contains(PosixFilePermission.GROUP_WRITE)) {
                throw new IllegalArgumentException("SHOAL_AGENT_TOKEN_FILE " + file + " may be read or changed by other "
                        + "users; chmod 600 it");
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("SHOAL_AGENT_TOKEN_FILE " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read SHOAL_AGENT_TOKEN_FILE " + file + ": " + e.getMessage());
        }
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
