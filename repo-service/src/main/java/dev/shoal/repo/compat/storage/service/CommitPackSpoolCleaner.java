package dev.shoal.repo.compat.storage.service;

import dev.shoal.repo.git.GitStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Removes commit-pack temporary files ({@link SpooledBlobs}) left by a process that was killed in the
 * middle of a request: closing a spool removes its file, but a killed process closes nothing. At
 * start no request can be in flight, so everything in the spool directory is a leftover.
 */
@ApplicationScoped
public class CommitPackSpoolCleaner {

    private static final Logger LOG = Logger.getLogger(CommitPackSpoolCleaner.class);

    private final GitStore store;

    public CommitPackSpoolCleaner(GitStore store) {
        this.store = store;
    }

    void onStart(@Observes StartupEvent event) {
        clean();
    }

    /** Deletes the spool directory's files; returns how many. Only safe while no commit-pack runs. */
    public int clean() {
        Path dir = store.root().resolve(CommitPackService.SPOOL_DIR);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> leftovers;
        try (Stream<Path> files = Files.list(dir)) {
            leftovers = files.toList();
        } catch (IOException e) {
            LOG.warnf(e, "could not list %s for leftover commit-pack files", dir);
            return 0;
        }
        int removed = 0;
        for (Path file : leftovers) {
            try {
                // Spools are plain files, never directories: anything else is not ours to remove.
                if (Files.isRegularFile(file) && Files.deleteIfExists(file)) {
                    removed++;
                }
            } catch (IOException e) {
                // Best effort: a file left over wastes disk, it breaks nothing.
                LOG.warnf(e, "could not remove leftover commit-pack file %s", file);
            }
        }
        if (removed > 0) {
            LOG.infof("removed %d leftover commit-pack file(s) from %s", removed, dir);
        }
        return removed;
    }
}
