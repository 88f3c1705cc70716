package dev.shoal.repo.compat.storage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The tar writer's output read back by the system's GNU tar: ustar fields, pax long names and link targets. */
class TarWriterTest {

    @Test
    void longNamesAndLinkTargetsGoThroughPaxHeaders() throws Exception {
        String longName = "a/".repeat(60) + "file-é.txt";
        String longTarget = "../".repeat(10) + "t".repeat(120);
        byte[] content = "content\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(out, 1_700_000_000L)) {
            tar.globalComment("0123456789abcdef0123456789abcdef01234567");
            tar.file(longName, 0755, content.length, new ByteArrayInputStream(content));
            tar.symlink("link", longTarget);
            tar.file("empty", 0644, 0, new ByteArrayInputStream(new byte[0]));
        }
        assertThat(out.size() % 512).isZero();
        Path dir = Files.createTempDirectory("tarwriter");
        Path file = dir.resolve("t.tar");
        Files.write(file, out.toByteArray());
        ProcessBuilder pb = new ProcessBuilder("tar", "--utc", "-tvf", file.toString()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(listing).isZero();
        assertThat(listing.lines().toList()).as(listing).hasSize(3);
        assertThat(listing).contains("-rwxr-xr-x root/root         8 2023-11-14 22:13 " + longName)
                .contains("lrwxrwxrwx root/root         0 2023-11-14 22:13 link -> " + longTarget)
                .contains("-rw-r--r-- root/root         0 2023-11-14 22:13 empty");
    }

    @Test
    void aBlobThatChangesSizeIsAnError() {
        TarWriter tar = new TarWriter(new ByteArrayOutputStream(), 0);
        assertThatThrownBy(() -> tar.file("x", 0644, 10, new ByteArrayInputStream(new byte[3]))).hasMessageContaining("changed size");
    }
}
