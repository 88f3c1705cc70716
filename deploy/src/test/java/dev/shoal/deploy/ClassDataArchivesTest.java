package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchivesTest {

    @TempDir
    Path temp;

    @Test
    void aFirstRunWritesTheArchiveAtExitAndALaterRunMapsIt() throws IOException {
        Path jar = jar("app.jar");
        Path dir = temp.resolve("cds");
        ClassDataArchives archives = new ClassDataArchives(dir, true);

        List<String> first = archives.options("api-gateway", List.of(jar));
        Path archive = dir.resolve("api-gateway-" + ClassDataArchives.key(List.of(jar)) + ".jsa");
        assertThat(first).containsExactly("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=error", "-Xlog:cds+dynamic=error");
        assertThat(dir).isDirectory();
        // writing at exit takes longer than a usual stop
        assertThat(archives.stopGrace(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(60));
        assertThat(archives.stopGrace(Duration.ofSeconds(90))).isEqualTo(Duration.ofSeconds(90));

        writeArchive(archive);
        ClassDataArchives next = new ClassDataArchives(dir, true);
        assertThat(next.options("api-gateway", List.of(jar))).containsExactly("-XX:SharedArchiveFile=" + archive);
        assertThat(next.stopGrace(Duration.ofSeconds(20))).as("nothing to write this run").isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aRebuiltJarGetsANewArchiveAndTheOldOneIsDeleted() throws IOException {
        Path jar = jar("app.jar");
        Path dir = temp.resolve("cds");
        Files.createDirectories(dir);
        Path old = dir.resolve("repo-service-" + ClassDataArchives.key(List.of(jar)) + ".jsa");
        writeArchive(old);
        Path otherService = dir.resolve("repo-service-extra-0123456789ab.jsa");
        writeArchive(otherService);

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
        String key = ClassDataArchives.key(List.of(jar));
        List<String> options = new ClassDataArchives(dir, true).options("repo-service", List.of(jar));

        assertThat(options).first().isEqualTo("-XX:ArchiveClassesAtExit=" + dir.resolve("repo-service-" + key + ".jsa"));
        assertThat(old).doesNotExist();
        assertThat(otherService).as("another process's archive whose name starts alike").exists();
    }

    @Test
    void anArchiveCutShortIsWrittenAgain() throws IOException {
        Path jar = jar("app.jar");
        Path dir = temp.resolve("cds");
        Files.createDirectories(dir);
        Path archive = dir.resolve("kafka-" + ClassDataArchives.key(List.of(jar)) + ".jsa");
        // HotSpot writes the header last: a run killed while writing leaves zeros where the magic goes
        Files.write(archive, new byte[4096]);

        assertThat(ClassDataArchives.isComplete(archive)).isFalse();
        assertThat(new ClassDataArchives(dir, true).options("kafka", List.of(jar)))
                .first().isEqualTo("-XX:ArchiveClassesAtExit=" + archive);
        assertThat(archive).as("the broken file is removed before the JVM writes it again").doesNotExist();
    }

    @Test
    void turnedOffItAddsNothing() throws IOException {
        ClassDataArchives archives = new ClassDataArchives(temp.resolve("cds"), false);

        assertThat(archives.options("api-gateway", List.of(jar("app.jar")))).isEmpty();
        assertThat(archives.stopGrace(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
        assertThat(temp.resolve("cds")).doesNotExist();
    }

    private Path jar(String name) throws IOException {
        return Files.write(temp.resolve(name), new byte[] {1, 2, 3});
    }

    /** A file starting as HotSpot's dynamic archives do (their magic, in the machine's byte order). */
    private static void writeArchive(Path file) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder()).putInt(0xf00baba8);
        Files.write(file, head.array());
    }
}
