package dev.shoal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxTest {

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

        List<String> c = new Sandbox(Path.of("/opt/bwrap"), List.of(Path.of("/opt/tools")), root).command(workspace, stepDir);
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
        assertThat(new Sandbox(Path.of("/opt/bwrap"), List.of(), root).builder(workspace, stepDir).environment())
                .containsOnlyKeys("PATH");

        assertThat(Files.readString(stepDir.resolve("env"))).isEqualTo("export TOKEN='s3cret '\\''x'\\'''\n");
        assertThat(Sandbox.unusableNames(Map.of("bad-name", "v", "OK", "v"))).containsExactly("bad-name");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stepDir.resolve("env")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stepDir))).isEqualTo("rwx------");
    }

    @Test
    void probeSaysWhyWhenBubblewrapIsMissing() {
        assertThat(new Sandbox(tmp.resolve("nope"), List.of()).probe(tmp)).hasValueSatisfying(why ->
                assertThat(why).contains("no bubblewrap at " + tmp.resolve("nope"), "SHOAL_AGENT_BWRAP"));
    }

    @Test
    void probeSucceedsWithTheInstalledBubblewrap() {
        assertThat(new Sandbox(Path.of(AgentConfig.DEFAULT_BWRAP), List.of()).probe(tmp)).isEmpty();
    }
}
