package dev.shoal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxTest {

    private static final Path SLIRP = Path.of(AgentConfig.DEFAULT_SLIRP4NETNS);

    @TempDir
    Path tmp;

    @Test
    void commandLineBindsOnlySystemDirectoriesAndTheWorkspace() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("etc/ssl"));
        Files.createDirectories(root.resolve("etc/java-17-openjdk"));
        Files.writeString(root.resolve("etc/resolv.conf"), "nameserver 127.0.0.1\n");
        Files.writeString(root.resolve("etc/shadow"), "root:secret\n");
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Files.createDirectories(root.resolve("lib64"));
        Path workspace = Files.createDirectories(tmp.resolve("agent/pipeline-1/workspace"));
        Path stepDir = Sandbox.prepare(tmp.resolve("agent/pipeline-1/step-1"), Map.of("TOKEN", "s3cret 'x'", "bad-name", "v"),
                "echo hi\n");

        List<String> c = new Sandbox(Path.of("/opt/bwrap"), List.of(Path.of("/opt/tools")), Sandbox.Network.HOST, SLIRP, root).command(workspace, stepDir);
        String line = String.join(" ", c);
        assertThat(c.get(0)).isEqualTo("/opt/bwrap");
        assertThat(line).contains("--unshare-user --unshare-pid --unshare-ipc", "--die-with-parent", "--uid 1000 --gid 1000",
                "--ro-bind /usr /usr", "--symlink usr/bin /bin", "--ro-bind /lib64 /lib64",
                "--ro-bind /etc/resolv.conf /etc/resolv.conf", "--ro-bind /etc/ssl /etc/ssl",
                "--ro-bind /etc/java-17-openjdk /etc/java-17-openjdk", "--ro-bind-try /opt/tools /opt/tools",
                "--proc /proc", "--tmpfs /tmp", "--bind " + workspace + " /workspace",
                "--ro-bind " + stepDir + " /run/shoal", "--chdir /workspace");
        assertThat(line).doesNotContain("shadow").doesNotContain("s3cret").doesNotContain("--share-net")
                .doesNotContain(tmp.resolve("agent/pipeline-1") + " ");
        // exactly one writable bind: the workspace
        assertThat(c.stream().filter("--bind"::equals).count()).isEqualTo(1);
        assertThat(new Sandbox(Path.of("/opt/bwrap"), List.of(), Sandbox.Network.HOST, SLIRP, root).builder(workspace, stepDir).environment())
                .containsOnlyKeys("PATH");

        assertThat(Files.readString(stepDir.resolve("env"))).isEqualTo("export TOKEN='s3cret '\\''x'\\'''\n");
        assertThat(Sandbox.unusableNames(Map.of("bad-name", "v", "OK", "v"))).containsExactly("bad-name");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stepDir.resolve("env")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stepDir))).isEqualTo("rwx------");
    }

    @Test
    void ownNetworkUnlessHostIsChosen() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/resolv.conf"), "nameserver 127.0.0.53\n");
        Path workspace = Files.createDirectories(tmp.resolve("agent/pipeline-1/workspace"));
        Path stepDir = Sandbox.prepare(tmp.resolve("agent/pipeline-1/step-1"), Map.of(), "true\n");

        Sandbox isolated = new Sandbox(Path.of("/opt/bwrap"), List.of(), Sandbox.Network.ISOLATED, SLIRP, root);
        String line = String.join(" ", isolated.command(workspace, stepDir));
        assertThat(line).contains("--unshare-net", "--info-fd 3 --block-fd 4",
                "--ro-bind " + stepDir.resolve("resolv.conf") + " /etc/resolv.conf").doesNotContain("--ro-bind /etc/resolv.conf");
        assertThat(Files.readString(stepDir.resolve("resolv.conf"))).isEqualTo("nameserver 10.0.2.3\n");
        // bwrap's pid file is opened by a sh that execs bwrap, outside the sandbox's binds
        List<String> started = isolated.builder(workspace, stepDir).command();
        assertThat(started.subList(0, 2)).containsExactly("/bin/sh", "-c");
        assertThat(started).contains(tmp.resolve("agent/pipeline-1/step-1-net/info").toString(), "/opt/bwrap");

        String none = String.join(" ", new Sandbox(Path.of("/opt/bwrap"), List.of(), Sandbox.Network.NONE, SLIRP, root)
                .command(workspace, stepDir));
        assertThat(none).contains("--unshare-net").doesNotContain("--info-fd").doesNotContain("/etc/resolv.conf");
        String host = String.join(" ", new Sandbox(Path.of("/opt/bwrap"), List.of(), Sandbox.Network.HOST, SLIRP, root)
                .command(workspace, stepDir));
        assertThat(host).doesNotContain("--unshare-net").contains("--ro-bind /etc/resolv.conf /etc/resolv.conf");
    }

    @Test
    void probeRefusesTheIsolatedNetworkWithoutAWorkingSlirp4netns() {
        Path bwrap = Path.of(AgentConfig.DEFAULT_BWRAP);
        assertThat(new Sandbox(bwrap, List.of(), Sandbox.Network.ISOLATED, tmp.resolve("no-slirp")).probe(tmp))
                .hasValueSatisfying(why -> assertThat(why).contains("no slirp4netns at " + tmp.resolve("no-slirp"),
                        "SHOAL_AGENT_SLIRP4NETNS", "SHOAL_AGENT_SANDBOX_NETWORK=none", "=host"));
        // A slirp4netns that exists but fails at once: said, and nothing waits forever on the blocked step.
        long start = System.nanoTime();
        assertThat(new Sandbox(bwrap, List.of(), Sandbox.Network.ISOLATED, Path.of("/bin/false")).probe(tmp))
                .hasValueSatisfying(why -> assertThat(why).contains("slirp4netns did not configure the step's network"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        // bwrap failing before the sandbox exists (an unknown option through SHOAL_AGENT_SANDBOX_RO_BINDS cannot, so a
        // bwrap that is no bwrap): said too, without waiting for slirp4netns
        assertThat(new Sandbox(Path.of("/bin/false"), List.of(), Sandbox.Network.ISOLATED, SLIRP).probe(tmp))
                .hasValueSatisfying(why -> assertThat(why).contains("bwrap did not start the sandbox"));
        try (var left = ProcessHandle.current().children()) {
            assertThat(left.filter(ProcessHandle::isAlive)).isEmpty();
        }
    }

    @Test
    void probeSucceedsWithoutNetwork() {
        assertThat(new Sandbox(Path.of(AgentConfig.DEFAULT_BWRAP), List.of(), Sandbox.Network.NONE, SLIRP).probe(tmp))
                .isEmpty();
    }

    @Test
    void probeSaysWhyWhenBubblewrapIsMissing() {
        assertThat(new Sandbox(tmp.resolve("nope"), List.of(), Sandbox.Network.ISOLATED, SLIRP).probe(tmp)).hasValueSatisfying(why ->
                assertThat(why).contains("no bubblewrap at " + tmp.resolve("nope"), "SHOAL_AGENT_BWRAP"));
    }

    @Test
    void probeSucceedsWithTheInstalledBubblewrap() {
        assertThat(new Sandbox(Path.of(AgentConfig.DEFAULT_BWRAP), List.of(), Sandbox.Network.ISOLATED, SLIRP).probe(tmp)).isEmpty();
    }
}
