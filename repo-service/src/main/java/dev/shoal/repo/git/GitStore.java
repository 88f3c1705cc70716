package dev.shoal.repo.git;

import dev.shoal.platform.error.NotFoundException;
import dev.shoal.repo.config.RepoConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.storage.file.WindowCacheConfig;

/**
 * The bare repositories on disk, named by repository id so that no user-chosen name ever becomes a
 * path. Open repositories are cached (JGit's Repository is safe for concurrent readers), and each
 * repository has one lock that serializes the things that must not overlap: pushes, merges, tag
 * creation, GC and reconciliation.
 */
@ApplicationScoped
public class GitStore {

    private final Path root;
    private final Map<Long, Repository> open = new ConcurrentHashMap<>();
    private final Map<Long, ReentrantLock> locks = new ConcurrentHashMap<>();

    public GitStore(RepoConfig config) {
        this.root = config.storage().toAbsolutePath().normalize();
        installCaches(config);
    }

    /** JGit's pack caches are process-wide; sized before the first repository opens. */
    private static void installCaches(RepoConfig config) {
        WindowCacheConfig cache = new WindowCacheConfig();
        cache.setPackedGitLimit(config.packedGitLimit());
        cache.setPackedGitWindowSize(config.packedGitWindowSize());
        cache.setDeltaBaseCacheLimit(config.deltaBaseCacheLimit());
        cache.install();
    }

    public Path root() {
        return root;
    }

    public Path dir(long repoId) {
        return root.resolve(repoId + ".git");
    }

    /** Creates an empty bare repository whose HEAD names {@code defaultBranch}. */
    public Repository create(long repoId, String defaultBranch) {
        Path dir = dir(repoId);
        try {
            Files.createDirectories(root);
            Repository repo = FileRepositoryBuilder.create(dir.toFile());
            repo.create(true);
            StoredConfig config = repo.getConfig();
            config.setBoolean("receive", null, "fsckObjects", true);
            config.setBoolean("transfer", null, "fsckObjects", true);
            config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_LOGALLREFUPDATES, true);
            // Shoal runs GC itself, debounced and never during a push (see GcScheduler).
            config.setInt("gc", null, "auto", 0);
            config.setBoolean("repack", null, "writeBitmaps", true);
            config.save();
            pointHead(repo, defaultBranch);
            open.put(repoId, repo);
            return repo;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create repository " + dir, e);
        }
    }

    public void pointHead(Repository repo, String branch) throws IOException {
        RefUpdate head = repo.updateRef(Constants.HEAD);
        head.disableRefLog();
        head.link(Constants.R_HEADS + branch);
    }

    public boolean exists(long repoId) {
        return Files.isDirectory(dir(repoId));
    }

    /** The repository's git data; 404 when it is missing on disk. */
    public Repository open(long repoId) {
        Repository cached = open.get(repoId);
        if (cached != null) {
            return cached;
        }
        return open.computeIfAbsent(repoId, id -> {
            Path dir = dir(id);
            if (!Files.isDirectory(dir)) {
                throw new NotFoundException("the repository's git data is missing");
            }
            try {
                return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open repository " + dir, e);
            }
        });
    }

    public ReentrantLock lock(long repoId) {
        return locks.computeIfAbsent(repoId, id -> new ReentrantLock(true));
    }

    /** Removes the repository's git data for good. */
    public void delete(long repoId) {
        Repository repo = open.remove(repoId);
        if (repo != null) {
            repo.close();
        }
        deleteTree(dir(repoId));
        locks.remove(repoId);
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    void close(@Observes ShutdownEvent event) {
        open.values().forEach(Repository::close);
        open.clear();
    }
}
