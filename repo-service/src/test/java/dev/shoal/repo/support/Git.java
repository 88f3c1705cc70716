package dev.shoal.repo.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real git command line, authenticated like the gateway forwards it (an internal JWT). */
public final class Git {

    public record Result(int exit, String out) {
        public Result ok() {
            if (exit != 0) {
                throw new AssertionError("git failed (" + exit + "):\n" + out);
            }
            return this;
        }
    }

    private final String token;
    private final Path home;

    public Git(String token) {
        this.token = token;
        try {
            this.home = Files.createTempDirectory("git-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("git-work");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Result run(Path dir, String... args) {
        return run(Map.of(), dir, args);
    }

    /** With extra environment variables, e.g. {@code GIT_TRACE_PACKET} to see the protocol spoken. */
    public Result run(Map<String, String> extraEnv, Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "http.extraHeader=Authorization: Bearer " + token,
                "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com", "-c", "init.defaultBranch=main",
                "-c", "protocol.version=2"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_DATE", "2025-01-20T14:30:00Z");
        env.put("GIT_COMMITTER_DATE", "2025-01-20T14:30:00Z");
        env.putAll(extraEnv);
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("git timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String out(Path dir, String... args) {
        return run(dir, args).ok().out().trim();
    }

    public static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
