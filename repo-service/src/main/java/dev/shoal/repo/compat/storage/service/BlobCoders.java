package dev.shoal.repo.compat.storage.service;

import dev.shoal.repo.compat.storage.config.StorageLimitsConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that hash and deflate commit-pack blobs ({@link BlobPackWriter}), one per core unless
 * {@code shoal.repo.storage.commit-pack.coder-threads} says otherwise. Their work is CPU only (no
 * I/O, no lock), so more threads than cores would gain nothing.
 */
@ApplicationScoped
public class BlobCoders {

    private final ExecutorService pool;

    public BlobCoders(StorageLimitsConfig config) {
        int threads = config.commitPack().coderThreads().orElse(Runtime.getRuntime().availableProcessors());
        if (threads < 1) {
            throw new IllegalArgumentException("shoal.repo.storage.commit-pack.coder-threads must be at least 1, not " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "commit-pack-coder-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    Executor executor() {
        return pool;
    }

    void stop(@Observes ShutdownEvent event) {
        pool.shutdownNow();
    }
}
