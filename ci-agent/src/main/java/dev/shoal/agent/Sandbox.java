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
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a host step inside bubblewrap: its own user, PID, IPC, UTS and cgroup namespaces (the
 * network stays shared, steps fetch dependencies), {@code /usr} and a short list of {@code /etc}
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
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Path bwrap;
    private final List<Path> extraReadOnly;
    private final Path root;

    /** @param root the host's root directory ({@code /}; another for tests of the command line) */
    Sandbox(Path bwrap, List<Path> extraReadOnly, Path root) {
        this.bwrap = bwrap;
        this.extraReadOnly = extraReadOnly;
        this.root = root;
    }

    public Sandbox(Path bwrap, List<Path> extraReadOnly) {
        this(bwrap, extraReadOnly, Path.of("/"));
    }

    public Path bwrap() {
        return bwrap;
    }

    /**
     * Runs a trivial step in the sandbox once: empty when it works, else why not (bwrap missing,
     * user namespaces disabled, a seccomp profile refusing mounts, …).
     */
    public Optional<String> probe(Path scratch) {
        if (!Files.isExecutable(bwrap)) {
            return Optional.of("no bubblewrap at " + bwrap + " (install the bubblewrap package or set SHOAL_AGENT_BWRAP)");
        }
        Path dir = null;
        try {
            Files.createDirectories(scratch);
            dir = Files.createTempDirectory(scratch, "sandbox-probe-");
            Path workspace = Files.createDirectory(dir.resolve("workspace"));
            Path stepDir = prepare(dir.resolve("step"), Map.of(), "touch " + WORKSPACE + "/probe\n");
            Process p = builder(workspace, stepDir).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readNBytes(4096);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                PipelineRunner.kill(p);
                return Optional.of(bwrap + " did not finish a trivial step within 20 s");
            }
            if (p.exitValue() != 0 || !Files.exists(workspace.resolve("probe"))) {
                return Optional.of(bwrap + " failed (exit " + p.exitValue() + "): "
                        + new String(out, StandardCharsets.UTF_8).strip());
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

    /** bwrap started with an empty environment (but PATH, to find nothing by accident), in the workspace. */
    ProcessBuilder builder(Path workspace, Path stepDir) {
        ProcessBuilder builder = new ProcessBuilder(command(workspace, stepDir));
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
                "--uid", String.valueOf(UID), "--gid", String.valueOf(UID), "--hostname", "shoal-ci",
                "--ro-bind", "/usr", "/usr"));
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
            c.addAll(List.of("--ro-bind", "/etc/" + name, "/etc/" + name));
        }
        c.addAll(List.of("--ro-bind", stepDir.resolve("passwd").toString(), "/etc/passwd",
                "--ro-bind", stepDir.resolve("group").toString(), "/etc/group"));
        for (Path dir : extraReadOnly) {
            c.addAll(List.of("--ro-bind-try", dir.toString(), dir.toString()));
        }
        c.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
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
