package dev.shoal.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a host step inside bubblewrap: its own user, PID, IPC, UTS and cgroup namespaces, its own
 * network namespace as the {@link Network} setting says (by default reaching out through
 * slirp4netns, never to the host's loopback), {@code /usr} and a short list of {@code /etc}
 * entries read-only, a private {@code /proc}, {@code /dev} and {@code /tmp}, and the pipeline's
 * workspace at {@code /workspace} as the only writable host directory. Nothing else of the host is
 * there: not the agent's home or work directory, not SHOAL_HOME, not the repositories, not other
 * pipelines' workspaces, and no other process can be seen or signalled.
 *
 * <p>The step's variables and script reach it as two files (mode 600) in a per-step directory
 * bound read-only at {@code /run/shoal}: bwrap itself starts with an empty environment (a step's
 * {@code LD_PRELOAD} must not reach bwrap, which runs on the host), and nothing secret is on a
 * command line, which every user of the machine can read in {@code /proc/<pid>/cmdline}.
 *
 * <p>Inside, the step runs as uid/gid 1000 ({@code ci}), which maps to the agent's user outside:
 * files it writes in the workspace belong to the agent, who deletes them afterwards. Because the
 * mapping makes host files of the agent's user look like the step's own, only {@code /etc} entries
 * a step needs are bound (name resolution, certificates, Java and git configuration), never
 * {@code /etc} whole ({@code /etc/shadow}, host keys).
 */
public final class Sandbox {

    /** Where the workspace is mounted inside the sandbox (as in containers). */
    public static final String WORKSPACE = "/workspace";
    static final String RUN_DIR = "/run/shoal";
    static final int UID = 1000;

    /** The {@code /etc} entries a step may need; those missing on the host are left out. */
    static final List<String> ETC = List.of("resolv.conf", "hosts", "host.conf", "nsswitch.conf", "gai.conf", "services",
            "protocols", "networks", "ssl", "ca-certificates", "ca-certificates.conf", "pki", "crypto-policies",
            "alternatives", "localtime", "timezone", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "gitconfig",
            "mime.types", "os-release", "debian_version", "alpine-release", "profile", "environment", "maven", "npmrc",
            "pip.conf", "wgetrc", "curlrc", "inputrc", "manpath.config");
    private static final Pattern JAVA_ETC = Pattern.compile("java(-\\d+.*)?");
    /** Top-level directories that merged-/usr systems keep as symbolic links into /usr. */
    private static final List<String> USR_LINKS = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");
    /** The device nodes bwrap's own {@code --dev} gives. */
    private static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom", "tty");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** slirp4netns's DNS forwarder, inside the step's network (it forwards to the host's resolver). */
    static final String DNS = "10.0.2.3";
    /** How long bwrap and slirp4netns get to set up a step's network before the step is given up. */
    private static final long SETUP_MILLIS = 20_000;
    private static final Pattern CHILD_PID = Pattern.compile("\"child-pid\"\\s*:\\s*(\\d+)");

    /**
     * What network a step has. A shared network namespace lets a step connect to every service
     * listening on the host's loopback (the stack's PostgreSQL with trust authentication, Kafka
     * without authentication, the services' HTTP ports), so the default is a namespace of its own.
     */
    public enum Network {
        /** Own namespace, outbound through slirp4netns with the host's loopback (and 10.0.2.2) unreachable. */
        ISOLATED,
        /** Own namespace with only a loopback: no network at all. */
        NONE,
        /** The host's namespace: everything the agent's user can reach, local services included (trusted setups). */
        HOST;

        public String setting() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Path bwrap;
    private final List<Path> extraReadOnly;
    private final Network network;
    private final Path slirp4netns;
    private final Path root;

    /** @param root the host's root directory ({@code /}; another for tests of the command line) */
    Sandbox(Path bwrap, List<Path> extraReadOnly, Network network, Path slirp4netns, Path root) {
        this.bwrap = bwrap;
        this.extraReadOnly = extraReadOnly;
        this.network = network;
        this.slirp4netns = slirp4netns;
        this.root = root;
    }

    public Sandbox(Path bwrap, List<Path> extraReadOnly, Network network, Path slirp4netns) {
        this(bwrap, extraReadOnly, network, slirp4netns, Path.of("/"));
    }

    public Network network() {
        return network;
    }

    public Path bwrap() {
        return bwrap;
    }

    /**
     * Runs a trivial step in the sandbox once: empty when it works, else why not (bwrap missing,
     * user namespaces disabled, a seccomp profile refusing mounts, …).
     */
    public Optional<String> probe(Path scratch) {
        // bwrap sometimes ends before it is let go (see PipelineRunner): one bad start is not a broken sandbox.
        Optional<String> why = Optional.empty();
        for (int attempt = 0; attempt < 3; attempt++) {
            why = probeOnce(scratch);
            if (why.isEmpty() || why.get().startsWith("no ")) {
                return why;
            }
        }
        return why;
    }

    private Optional<String> probeOnce(Path scratch) {
        if (!Files.isExecutable(bwrap)) {
            return Optional.of("no bubblewrap at " + bwrap + " (install the bubblewrap package or set SHOAL_AGENT_BWRAP)");
        }
        if (network == Network.ISOLATED && !Files.isExecutable(slirp4netns)) {
            return Optional.of("no slirp4netns at " + slirp4netns + " for the isolated step network (install the "
                    + "slirp4netns package or set SHOAL_AGENT_SLIRP4NETNS; or choose SHOAL_AGENT_SANDBOX_NETWORK=none for "
                    + "steps without network, or =host for steps that reach the host's local services)");
        }
        Path dir = null;
        try {
            Files.createDirectories(scratch);
            dir = Files.createTempDirectory(scratch, "sandbox-probe-");
            Path workspace = Files.createDirectory(dir.resolve("workspace"));
            // With the isolated network, the step must find the interface slirp4netns configured and its route.
            String check = network == Network.ISOLATED ? " && grep -q '^tap0' /proc/net/route" : "";
            Path stepDir = prepare(dir.resolve("step"), Map.of(), "touch " + WORKSPACE + "/probe" + check + "\n");
            Process p = builder(workspace, stepDir).redirectErrorStream(true).start();
            java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readNBytes(4096);
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            try (Connection ignored = connect(p, stepDir)) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    PipelineRunner.kill(p);
                    return Optional.of(bwrap + " did not finish a trivial step within 20 s");
                }
            } catch (IOException e) {
                PipelineRunner.kill(p);
                p.waitFor(5, TimeUnit.SECONDS);
                String output = new String(out.getNow(new byte[0]), StandardCharsets.UTF_8).strip();
                return Optional.of(e.getMessage() + (output.isEmpty() ? "" : ": " + output));
            }
            if (p.exitValue() != 0 || !Files.exists(workspace.resolve("probe"))) {
                String output = new String(out.getNow(new byte[0]), StandardCharsets.UTF_8).strip();
                return Optional.of(bwrap + " failed (exit " + p.exitValue() + ")"
                        + (network == Network.ISOLATED ? " or the step had no network interface from slirp4netns" : "")
                        + (output.isEmpty() ? "" : ": " + output));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run " + bwrap + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while trying " + bwrap);
        } finally {
            PipelineRunner.deleteTree(dir);
        }
    }

    /** A step's network, up while the step runs; closing it stops slirp4netns. */
    public interface Connection extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Brings up the network of the step {@code process} (started from {@link #builder}) and lets it
     * run. With {@link Network#ISOLATED}, bwrap waits on the agent's pipe to it ({@code --block-fd},
     * the process's standard input moved to fd 4; the step's own is {@code /dev/null}) before it runs
     * the step; this reads the sandbox's pid that bwrap wrote ({@code --info-fd}), starts slirp4netns on it, waits until slirp4netns says the interface is configured
     * ({@code --ready-fd}), and only then writes the byte that lets bwrap go on. When anything fails
     * or takes longer than {@value #SETUP_MILLIS} ms, slirp4netns is stopped and an exception says
     * why; the caller kills the step, which never ran.
     */
    public Connection connect(Process process, Path stepDir) throws IOException, InterruptedException {
        if (network != Network.ISOLATED) {
            return () -> { };
        }
        Path netDir = netDir(stepDir);
        long deadline = System.currentTimeMillis() + SETUP_MILLIS;
        // bwrap writes its JSON in several writes: only a closed object is whole.
        String info = awaitFile(netDir.resolve("info"), process, deadline, s -> s.contains("}") && CHILD_PID.matcher(s).find(),
                "bwrap did not start the sandbox");
        Matcher pid = CHILD_PID.matcher(info);
        pid.find();
        // slirp4netns runs on the host, so like bwrap it gets nothing of the agent's environment. Its
        // standard input is its exit fd: should the agent die without stopping it, it ends with the pipe.
        ProcessBuilder slirp = new ProcessBuilder("/bin/sh", "-c", "ready=$1; shift; exec \"$@\" 3>\"$ready\"", "sh",
                netDir.resolve("ready").toString(), slirp4netns.toString(), "--configure", "--mtu=65520",
                "--disable-host-loopback", "--ready-fd=3", "--exit-fd=0", pid.group(1), "tap0");
        slirp.environment().clear();
        slirp.redirectErrorStream(true).redirectOutput(netDir.resolve("slirp4netns.log").toFile());
        Process slirpProcess = slirp.start();
        Connection connection = () -> {
            try {
                slirpProcess.getOutputStream().close();
            } catch (IOException ignored) {
                // already gone
            }
            slirpProcess.destroy();
            try {
                if (!slirpProcess.waitFor(5, TimeUnit.SECONDS)) {
                    slirpProcess.destroyForcibly();
                }
            } catch (InterruptedException e) {
                slirpProcess.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            PipelineRunner.deleteTree(netDir);
        };
        try {
            awaitFile(netDir.resolve("ready"), slirpProcess, deadline, s -> s.contains("1"),
                    "slirp4netns did not configure the step's network");
            if (!process.isAlive()) {
                throw new IOException("bwrap ended before the step could start (exit " + process.exitValue() + ")");
            }
            process.getOutputStream().write('1');
            process.getOutputStream().close();
            return connection;
        } catch (IOException | InterruptedException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private interface Check {
        boolean done(String content);
    }

    /** Waits until {@code file} says {@code check}, while {@code process} lives and the deadline is ahead. */
    private String awaitFile(Path file, Process process, long deadline, Check check, String what)
            throws IOException, InterruptedException {
        while (true) {
            String content = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            if (check.done(content)) {
                return content;
            }
            if (!process.isAlive()) {
                String log = "";
                Path slirpLog = file.resolveSibling("slirp4netns.log");
                if (Files.exists(slirpLog)) {
                    log = Files.readString(slirpLog, StandardCharsets.UTF_8).strip();
                }
                throw new IOException(what + " (exit " + process.exitValue() + ")" + (log.isEmpty() ? "" : ": " + log));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException(what + " within " + SETUP_MILLIS / 1000 + " s");
            }
            Thread.sleep(20);
        }
    }

    /** Where bwrap and slirp4netns leave their handshake files: beside the step directory, not inside the sandbox. */
    private static Path netDir(Path stepDir) {
        return stepDir.resolveSibling(stepDir.getFileName() + "-net");
    }

    /**
     * Writes the per-step directory: {@code env} (one {@code export NAME='value'} per variable),
     * {@code script}, {@code passwd} and {@code group} naming the step's user; all mode 600.
     */
    static Path prepare(Path stepDir, Map<String, String> env, String script) throws IOException {
        Files.createDirectories(stepDir);
        boolean posix = stepDir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.setPosixFilePermissions(stepDir, PosixFilePermissions.fromString("rwx------"));
        }
        StringBuilder exports = new StringBuilder();
        env.forEach((k, v) -> {
            if (NAME.matcher(k).matches()) {
                exports.append("export ").append(k).append("='").append(v.replace("'", "'\\''")).append("'\n");
            }
        });
        write(stepDir.resolve("env"), exports.toString(), posix);
        write(stepDir.resolve("script"), script.isEmpty() ? "true\n" : script, posix);
        write(stepDir.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nci:x:" + UID + ":" + UID + ":CI step:" + WORKSPACE
                + ":/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", posix);
        write(stepDir.resolve("group"), "root:x:0:\nci:x:" + UID + ":\nnogroup:x:65534:\n", posix);
        // The resolver of an isolated step: the host's resolv.conf may name a resolver on the host's loopback.
        write(stepDir.resolve("resolv.conf"), "nameserver " + DNS + "\n", posix);
        return stepDir;
    }

    private static void write(Path file, String content, boolean posix) throws IOException {
        Files.deleteIfExists(file);
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** Names of variables that cannot be exported by a POSIX shell, so the step does not get them. */
    static List<String> unusableNames(Map<String, String> env) {
        return env.keySet().stream().filter(k -> !NAME.matcher(k).matches()).toList();
    }

    /**
     * bwrap started with an empty environment (but PATH, to find nothing by accident), in the
     * workspace. With the isolated network, a {@code sh} that execs bwrap opens the file bwrap writes
     * the sandbox's pid to (a Java process cannot be given more descriptors); then the step only runs
     * after {@link #connect}.
     */
    ProcessBuilder builder(Path workspace, Path stepDir) throws IOException {
        List<String> command = command(workspace, stepDir);
        if (network == Network.ISOLATED) {
            Path netDir = netDir(stepDir);
            PipelineRunner.deleteTree(netDir);
            Files.createDirectories(netDir);
            List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "info=$1; shift; exec \"$@\" 3>\"$info\" 4<&0 </dev/null", "sh",
                    netDir.resolve("info").toString()));
            wrapped.addAll(command);
            command = wrapped;
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.directory(workspace.toFile());
        return builder;
    }

    /** The bwrap command line: paths and fixed words only, nothing of the step's variables. */
    List<String> command(Path workspace, Path stepDir) {
        List<String> c = new ArrayList<>(List.of(bwrap.toString(),
                "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                "--uid", String.valueOf(UID), "--gid", String.valueOf(UID), "--hostname", "shoal-ci"));
        if (network != Network.HOST) {
            c.add("--unshare-net");
        }
        if (network == Network.ISOLATED) {
            c.addAll(List.of("--info-fd", "3", "--block-fd", "4"));
        }
        c.addAll(List.of("--ro-bind", "/usr", "/usr"));
        for (String name : USR_LINKS) {
            Path p = root.resolve(name);
            if (Files.isSymbolicLink(p)) {
                try {
                    c.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), "/" + name));
                } catch (IOException e) {
                    // unreadable link: leave it out, /usr is there
                }
            } else if (Files.isDirectory(p)) {
                c.addAll(List.of("--ro-bind", "/" + name, "/" + name));
            }
        }
        for (String name : etcEntries()) {
            if (name.equals("resolv.conf") && network != Network.HOST) {
                continue;
            }
            c.addAll(List.of("--ro-bind", "/etc/" + name, "/etc/" + name));
        }
        if (network == Network.ISOLATED) {
            c.addAll(List.of("--ro-bind", stepDir.resolve("resolv.conf").toString(), "/etc/resolv.conf"));
        }
        c.addAll(List.of("--ro-bind", stepDir.resolve("passwd").toString(), "/etc/passwd",
                "--ro-bind", stepDir.resolve("group").toString(), "/etc/group"));
        for (Path dir : extraReadOnly) {
            c.addAll(List.of("--ro-bind-try", dir.toString(), dir.toString()));
        }
        // /dev built by hand rather than with --dev: for its devpts mount, bwrap maps root first and then
        // nests a second user namespace for uid 1000, and slirp4netns, joining the step's (inner) user
        // namespace, could not enter its network namespace, which belongs to the outer one. So: no
        // /dev/pts (steps have pipes, never a terminal), the usual device nodes and links.
        c.addAll(List.of("--proc", "/proc", "--tmpfs", "/dev"));
        for (String device : DEVICES) {
            c.addAll(List.of("--dev-bind-try", "/dev/" + device, "/dev/" + device));
        }
        c.addAll(List.of("--symlink", "/proc/self/fd", "/dev/fd", "--symlink", "/proc/self/fd/0", "/dev/stdin",
                "--symlink", "/proc/self/fd/1", "/dev/stdout", "--symlink", "/proc/self/fd/2", "/dev/stderr",
                "--tmpfs", "/dev/shm"));
        c.addAll(List.of("--tmpfs", "/tmp",
                "--bind", workspace.toString(), WORKSPACE,
                "--ro-bind", stepDir.toString(), RUN_DIR,
                "--chdir", WORKSPACE,
                "--setenv", "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "--setenv", "HOME", "/tmp",
                "--setenv", "USER", "ci",
                "--",
                "/bin/sh", "-c", ". " + RUN_DIR + "/env && exec /bin/sh " + RUN_DIR + "/script"));
        return c;
    }

    private List<String> etcEntries() {
        Path etc = root.resolve("etc");
        List<String> names = new ArrayList<>();
        for (String name : ETC) {
            if (Files.exists(etc.resolve(name))) {
                names.add(name);
            }
        }
        try (Stream<Path> list = Files.list(etc)) {
            list.map(p -> p.getFileName().toString()).filter(n -> JAVA_ETC.matcher(n).matches()).sorted().forEach(names::add);
        } catch (IOException e) {
            // no /etc to list: the fixed names above are all there is
        }
        return names;
    }
}
