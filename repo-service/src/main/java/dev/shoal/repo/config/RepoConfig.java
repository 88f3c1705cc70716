package dev.shoal.repo.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** repo-service settings; each key can be overridden by its environment variable (SHOAL_REPO_...). */
@ConfigMapping(prefix = "shoal.repo")
public interface RepoConfig {

    /** Root of the bare repositories ({@code <id>.git}) and release assets ({@code assets/}). */
    @WithDefault(".shoal/repos")
    Path storage();

    /** Branch a new repository's HEAD points at when the request names none. */
    @WithDefault("main")
    String defaultBranch();

    /** Largest blob the JSON blob endpoint inlines; bigger ones are fetched with {@code ?raw=1}. */
    @WithDefault("1048576")
    long maxInlineBlob();

    /** Largest release asset accepted. */
    @WithDefault("104857600")
    long maxAssetSize();

    /** Quiet time after the last push before a repository is garbage-collected (debounce). */
    @WithDefault("30s")
    Duration gcDelay();

    /**
     * Quiet time after a push before GC when the repository has no bitmap index yet (its first
     * pushes): short, because until GC every clone counts the whole history object by object.
     */
    @WithDefault("1s")
    Duration gcUnindexedDelay();

    /** Unreferenced objects and old packs younger than this survive GC, so concurrent readers never lose a pack. */
    @WithDefault("2h")
    Duration gcGracePeriod();

    /**
     * Bytes of pack data JGit keeps in memory across all repositories (its window cache). JGit's
     * 10 MiB default is less than one 25 MB pack, so a clone read the pack twice from disk (once
     * walking trees, once writing) in 8 KiB windows.
     */
    @WithDefault("33554432")
    long packedGitLimit();

    /** Size of one window of that cache (a power of 2, at least 4096). */
    @WithDefault("65536")
    int packedGitWindowSize();

    /** Bytes of inflated delta bases JGit keeps, so chains of tree deltas are not inflated again and again. */
    @WithDefault("16777216")
    int deltaBaseCacheLimit();

    /** How often every repository's refs are compared with the ref journal. */
    @WithDefault("5m")
    Duration reconcileInterval();

    /**
     * Repository rows kept in memory for lookups by name (every API and git request makes one), each
     * dropped when PostgreSQL announces a change to its row (RepoRowCache); 0 turns the cache off.
     */
    @WithDefault("10000")
    int rowCacheMaxEntries();

    /** Whether background maintenance (reconciliation timer, GC) runs in this process. */
    @WithDefault("true")
    boolean maintenanceEnabled();
}
