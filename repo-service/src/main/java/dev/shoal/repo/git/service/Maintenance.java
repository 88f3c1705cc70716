package dev.shoal.repo.git.service;

import dev.shoal.repo.config.RepoConfig;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.repository.RepoRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.jboss.logging.Logger;

/**
 * Background care of the repositories: ref-journal reconciliation (at start and periodically) and
 * garbage collection with bitmap indexes a while after the last push. Both take the repository's
 * lock, so neither ever overlaps a push, a merge or the other.
 */
@ApplicationScoped
public class Maintenance {

    private static final Logger LOG = Logger.getLogger(Maintenance.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final GitStore store;
    private final PushEvents events;
    private final RepoRepository repos;
    private final Pool pool;
    private final RepoConfig config;
    private final Map<Long, ScheduledFuture<?>> pendingGc = new ConcurrentHashMap<>();
    private final AtomicInteger gcRuns = new AtomicInteger();
    private final Map<Long, Long> gcStarts = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;

    public Maintenance(GitStore store, PushEvents events, RepoRepository repos, Pool pool, RepoConfig config) {
        this.store = store;
        this.events = events;
        this.repos = repos;
        this.pool = pool;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "repo-maintenance-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (config.maintenanceEnabled()) {
            long every = config.reconcileInterval().toMillis();
            executor.scheduleWithFixedDelay(this::reconcileAllQuietly, 0, every, TimeUnit.MILLISECONDS);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Emits the missing repo.pushed events of one repository; returns how many. Blocking. */
    public int reconcile(long repoId) {
        Repo repo = repos.findById(pool, repoId).await().atMost(DB_TIMEOUT);
        if (repo == null || !store.exists(repoId)) {
            return 0;
        }
        ReentrantLock lock = store.lock(repoId);
        lock.lock();
        try {
            return events.reconcile(repo, store.open(repoId));
        } finally {
            lock.unlock();
        }
    }

    /** One pass over every repository; a repository busy with a push is left for the next pass. */
    public int reconcileAll() {
        int emitted = 0;
        List<Long> ids = repos.allIds(pool).await().atMost(DB_TIMEOUT);
        for (long id : ids) {
            ReentrantLock lock = store.lock(id);
            if (!lock.tryLock()) {
                continue;
            }
            try {
                Repo repo = repos.findById(pool, id).await().atMost(DB_TIMEOUT);
                if (repo != null && store.exists(id)) {
                    emitted += events.reconcile(repo, store.open(id));
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "reconciling repository %d failed; the next pass retries", id);
            } finally {
                lock.unlock();
            }
        }
        return emitted;
    }

    private void reconcileAllQuietly() {
        try {
            int emitted = reconcileAll();
            if (emitted > 0) {
                LOG.infof("reconciliation emitted %d missing repo.pushed events", emitted);
            }
        } catch (RuntimeException e) {
            LOG.warnf("reconciliation pass failed, retrying later: %s", e.getMessage());
        }
    }

    /**
     * Debounced: GC runs once the repository has been quiet for {@code shoal.repo.gc-delay}, or
     * for only {@code shoal.repo.gc-unindexed-delay} while it has no bitmap index at all (a new
     * repository just filled by its first big push): there every clone walks the whole history
     * until GC writes one, while a repository that has a bitmap serves the few commits pushed
     * since by walking just those. Never blocks the caller (the push has already answered).
     */
    public void scheduleGc(long repoId) {
        if (!config.maintenanceEnabled() || executor == null) {
            return;
        }
        Duration delay = hasBitmap(repoId) ? config.gcDelay() : config.gcUnindexedDelay();
        pendingGc.compute(repoId, (id, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return executor.schedule(() -> gcWhenIdle(id), delay.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** Whether any pack of the repository has a bitmap index (what JGit's upload-pack counts with). */
    boolean hasBitmap(long repoId) {
        Path pack = store.dir(repoId).resolve("objects").resolve("pack");
        try (Stream<Path> files = Files.list(pack)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".bitmap"));
        } catch (IOException e) {
            return false; // no pack directory yet: nothing indexed
        }
    }

    /** When (System.nanoTime()) the last GC of the repository started; empty when none ran. */
    public OptionalLong lastGcStart(long repoId) {
        Long started = gcStarts.get(repoId);
        return started == null ? OptionalLong.empty() : OptionalLong.of(started);
    }

    private void gcWhenIdle(long repoId) {
        pendingGc.remove(repoId);
        ReentrantLock lock = store.lock(repoId);
        if (!lock.tryLock()) {
            scheduleGc(repoId);
            return;
        }
        try {
            if (store.exists(repoId)) {
                gc(repoId);
            }
        } catch (Exception e) {
            LOG.warnf(e, "GC of repository %d failed", repoId);
        } finally {
            lock.unlock();
        }
    }

    /** Repacks with a bitmap index and packed refs; the caller holds the repository's lock. */
    public void gc(long repoId) throws Exception {
        Repository repo = store.open(repoId);
        if (!(repo instanceof FileRepository file)) {
            return;
        }
        gcStarts.put(repoId, System.nanoTime());
        GC gc = new GC(file);
        gc.setAuto(false);
        long grace = config.gcGracePeriod().toMillis();
        gc.setExpireAgeMillis(grace);
        gc.setPackExpireAgeMillis(grace);
        PackConfig pack = new PackConfig(repo);
        pack.setBuildBitmaps(true);
        gc.setPackConfig(pack);
        gc.gc().get();
        gcRuns.incrementAndGet();
    }

    public int gcRuns() {
        return gcRuns.get();
    }
}
