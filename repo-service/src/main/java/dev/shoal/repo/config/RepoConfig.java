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

    /** How often every repository's refs are compared with the ref journal. */
    @WithDefault("5m")
    Duration reconcileInterval();

    /** Whether background maintenance (reconciliation timer, GC) runs in this process. */
    @WithDefault("true")
    boolean maintenanceEnabled();
}
