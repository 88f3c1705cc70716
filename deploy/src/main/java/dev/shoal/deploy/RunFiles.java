package dev.shoal.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The layout of SHOAL_HOME: data directories, logs, pid files, secrets and the markers deploy/up
 * waits for. Everything the launcher keeps between runs is named here.
 */
final class RunFiles {

    private final Path home;

    RunFiles(Path home) {
        this.home = home;
    }

    Path home() {
        return home;
    }

    Path postgresData() {
        return home.resolve("pg");
    }

    Path kafkaDir() {
        return home.resolve("kafka");
    }

    /** Class-data archives of the JVMs the launcher starts, one per process and build ({@link ClassDataArchives}). */
    Path classDataArchives() {
        return home.resolve("cds");
    }

    Path keys() {
        return home.resolve("keys");
    }

    Path repos() {
        return home.resolve("repos");
    }

    Path adminToken() {
        return home.resolve("admin-token");
    }

    /** The admin's web sign-in password, set by the launcher on the first start with web-ui. */
    Path adminPassword() {
        return home.resolve("admin-password");
    }

    Path agentToken() {
        return home.resolve("agent-token");
    }

    Path secretKey() {
        return keys().resolve("secret-key");
    }

    Path credentialKey() {
        return keys().resolve("repo-credential-key");
    }

    Path webhookSecretKey() {
        return keys().resolve("webhook-secret-key");
    }

    Path runEnv() {
        return home.resolve("run.env");
    }

    Path ready() {
        return home.resolve("ready");
    }

    Path failed() {
        return home.resolve("failed");
    }

    Path log(String name) {
        return home.resolve("logs").resolve(name + ".log");
    }

    void createDirectories() {
        try {
            for (Path dir : List.of(home, home.resolve("logs"), home.resolve("pids"), keys(), repos(), kafkaDir())) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new LaunchFailure("cannot create directories under " + home + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code dir} for this user only (0700), or checks that an existing one is a real
     * directory of this user that nobody else may enter: it may sit in a shared temporary directory.
     */
    void createPrivateDirectory(Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException e) {
                    // created meanwhile: checked below like any existing one
                }
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    || !Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) {
                throw new LaunchFailure(dir + " is not a directory of user " + System.getProperty("user.name")
                        + "; remove it or set SHOAL_AGENT_WORKDIR");
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new LaunchFailure("cannot create the CI agent's work directory " + dir + ": " + e.getMessage(), e);
        }
    }

    void writePid(String name, long pid) {
        write(home.resolve("pids").resolve(name + ".pid"), pid + "\n", false);
    }

    void removePid(String name) {
        delete(home.resolve("pids").resolve(name + ".pid"));
    }

    /** The pids recorded by an earlier run, with the name of the process each belongs to. */
    List<RecordedPid> recordedPids() {
        Path dir = home.resolve("pids");
        List<RecordedPid> pids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return pids;
        }
        try (var stream = Files.list(dir)) {
            for (Path file : stream.filter(f -> f.getFileName().toString().endsWith(".pid")).sorted().toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
                try {
                    pids.add(new RecordedPid(name, Long.parseLong(Files.readString(file).strip()), file));
                } catch (NumberFormatException e) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    record RecordedPid(String name, long pid, Path file) {
    }

    Optional<String> readSecret(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file).strip()).filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file only its owner can read, atomically, so no reader sees half a secret. */
    void writeSecret(Path file, String content) {
        write(file, content, true);
    }

    void writeText(Path file, String content) {
        write(file, content, false);
    }

    void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content, boolean ownerOnly) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            if (ownerOnly) {
                try {
                    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
                    Files.createFile(tmp);
                }
            }
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The last {@code lines} lines of a log, for failure messages. */
    String tail(Path log, int lines) {
        if (!Files.exists(log)) {
            return "(no log at " + log + ")";
        }
        try (var channel = Files.newByteChannel(log)) {
            // Only the end of the file matters, and a service log can be large.
            long size = channel.size();
            long from = Math.max(0, size - 64 * 1024);
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
            channel.position(from);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // keep reading until the end
            }
            List<String> all = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
