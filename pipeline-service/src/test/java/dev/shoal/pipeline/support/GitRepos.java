package dev.shoal.pipeline.support;

import dev.shoal.pipeline.repo.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Real bare git repositories on disk, at {@code {shoal.public-url}/{org}/{name}.git} (a file:// URL
 * in tests), so the clone URL the service hands to agents is clonable. They stand in for
 * repo-service, which does not run in these tests.
 */
public final class GitRepos {

    private static final Map<Long, Repo> REPOS = new ConcurrentHashMap<>();

    private GitRepos() {
    }

    public static Path root() {
        String url = ConfigProvider.getConfig().getValue("shoal.public-url", String.class);
        return Path.of(url.substring("file://".length()));
    }

    public static Path bare(Repo repo) {
        return root().resolve(repo.org()).resolve(repo.name() + ".git");
    }

    public static Repo repo(long id) {
        return REPOS.get(id);
    }

    public static synchronized void create(Repo repo) {
        Path bare = bare(repo);
        try {
            if (Files.exists(bare)) {
                dev.shoal.pipeline.support.Files2.deleteTree(bare);
            }
            Files.createDirectories(bare.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(bare.getParent(), "init", "--quiet", "--bare", "-b", repo.defaultBranch(), bare.toString());
        REPOS.put(repo.id(), repo);
    }

    /** Commits {@code files} on {@code branch} (creating it from the default branch) and returns the commit. */
    public static synchronized String commit(Repo repo, String branch, Map<String, String> files) {
        try {
            Path work = Files.createTempDirectory("shoal-work");
            git(work, "clone", "--quiet", bare(repo).toString(), work.resolve("w").toString());
            Path w = work.resolve("w");
            String remoteBranches = git(w, "branch", "-r");
            if (remoteBranches.contains("origin/" + branch + "\n") || remoteBranches.endsWith("origin/" + branch)) {
                git(w, "checkout", "--quiet", branch);
            } else {
                git(w, "checkout", "--quiet", "-b", branch);
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target = w.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
            git(w, "add", "-A");
            git(w, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "--allow-empty", "-m", "change");
            git(w, "push", "--quiet", "origin", branch);
            String sha = git(w, "rev-parse", "HEAD").trim();
            Files2.deleteTree(work);
            return sha;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String tag(Repo repo, String tag, String commit) {
        git(bare(repo), "tag", tag, commit);
        return commit;
    }

    public static String git(Path dir, String... args) {
        return new String(gitBytes(dir, true, args), StandardCharsets.UTF_8);
    }

    /** Runs git; with {@code check} false a failure answers null instead of throwing. */
    public static byte[] gitBytes(Path dir, boolean check, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                if (check) {
                    throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + dir);
                }
                return null;
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
