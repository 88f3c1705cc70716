package dev.shoal.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Application class-data sharing for the JVMs the launcher starts (services, Kafka, the agent): a
 * JVM's first run writes the classes it loaded into {@code SHOAL_HOME/cds/<name>-<key>.jsa} when it
 * exits ({@code -XX:ArchiveClassesAtExit}, JDK 13+); later runs map that archive
 * ({@code -XX:SharedArchiveFile}) instead of reading, parsing and verifying every class again,
 * which is most of a Quarkus service's start-up CPU. The key hashes the JDK and the application's
 * jars (path, size, modification time), so a rebuild or another JDK writes a new archive and the
 * old one is deleted. The JVM checks an archive against its class path and each archived class
 * against the bytes it would load, and runs without it when they differ; a run killed while
 * writing leaves a file without the archive's header, which is written last, and the next run
 * writes it again. {@code SHOAL_APPCDS=false} turns it off.
 */
final class ClassDataArchives {

    /** The first four bytes of a dynamic archive (HotSpot's CDS_DYNAMIC_ARCHIVE_MAGIC, in the machine's byte order). */
    private static final int DYNAMIC_ARCHIVE_MAGIC = 0xf00baba8;

    /**
     * How long a JVM writing its archive may take to stop: writing is part of its exit, and on a
     * loaded machine takes longer than a service's usual stop (about 50 MB for a Quarkus service).
     */
    static final Duration WRITING_GRACE = Duration.ofSeconds(60);

    private final Path dir;
    private final boolean enabled;
    private volatile boolean writing;

    ClassDataArchives(Path dir, boolean enabled) {
        this.dir = dir;
        this.enabled = enabled;
    }

    /**
     * The JVM options of one process: map its archive when a complete one exists for these jars,
     * else write one at exit. Empty when turned off or the archive directory cannot be made.
     */
    List<String> options(String name, List<Path> jars) {
        if (!enabled) {
            return List.of();
        }
        Path archive = dir.resolve(name + "-" + key(jars) + ".jsa");
        if (isComplete(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive);
        }
        try {
            Files.createDirectories(dir);
            deleteOthers(name, archive);
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            Launcher.say("warning: no class-data archive for " + name + " (" + e.getMessage() + ")");
            return List.of();
        }
        // Classes the archive cannot hold (generated, hidden, old bytecode) are each reported as a
        // warning at exit; they are expected, so only errors reach the log.
        writing = true;
        return List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=error", "-Xlog:cds+dynamic=error");
    }

    /** The grace a stopping child gets: {@code usual}, or {@link #WRITING_GRACE} while some child of this run writes its archive. */
    Duration stopGrace(Duration usual) {
        return writing && usual.compareTo(WRITING_GRACE) < 0 ? WRITING_GRACE : usual;
    }

    /** Whether the file is a whole dynamic archive: HotSpot writes its header, magic first, after everything else. */
    static boolean isComplete(Path archive) {
        if (!Files.isRegularFile(archive)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(archive)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && ByteBuffer.wrap(head).order(ByteOrder.nativeOrder()).getInt() == DYNAMIC_ARCHIVE_MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    /** A short hash of the JDK and of each jar's path, size and modification time. */
    static String key(List<Path> jars) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((System.getProperty("java.home") + "|" + System.getProperty("java.vm.version") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (Path jar : jars) {
                String stamp = Files.isRegularFile(jar) ? Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis() : "missing";
                digest.update((jar.toAbsolutePath() + "|" + stamp + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (IOException e) {
            return "unreadable";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void deleteOthers(String name, Path keep) throws IOException {
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(dir, name + "-*.jsa")) {
            for (Path archive : archives) {
                if (!archive.equals(keep) && archive.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "-[0-9a-f]+\\.jsa")) {
                    Files.deleteIfExists(archive);
                }
            }
        }
    }
}
