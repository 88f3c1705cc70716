package dev.shoal.repo.compat.storage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.OptionalInt;

/**
 * Caps on Code Storage's commit bodies ({@code shoal.repo.storage.commit-pack.*},
 * {@code shoal.repo.storage.diff-commit.*}; environment: {@code SHOAL_REPO_STORAGE_COMMIT_PACK_MAX_FILE_SIZE}, …).
 * A request over one is a 413 naming the cap, as soon as it passes it: one {@code git:write} token
 * must not be able to fill the heap, the disk or a worker for everyone else.
 */
@ConfigMapping(prefix = "shoal.repo.storage")
public interface StorageLimitsConfig {

    CommitPack commitPack();

    DiffCommit diffCommit();

    /** commit-pack spools multi-chunk files to temporary files: these bound disk and time, not the heap. */
    interface CommitPack {

        /** Largest file (decoded bytes) one commit-pack may write. */
        @WithDefault("104857600")
        long maxFileSize();

        /** Largest commit-pack body (bytes on the wire, base64 and JSON included). */
        @WithDefault("536870912")
        long maxBodySize();

        /**
         * zlib level (-1 to 9) for the blobs a commit-pack writes; absent: the repository's
         * {@code core.compression} (git's default, zlib's 6). Content zlib cannot shrink is stored
         * uncompressed whatever this says (see {@code BlobPackWriter}).
         */
        OptionalInt compression();

        /**
         * Threads that hash and deflate the blobs of commit-packs while the request's own thread
         * reads and decodes the body; shared by all commit-packs. Absent: one per available core.
         */
        OptionalInt coderThreads();
    }

    interface DiffCommit {

        /** Largest patch (decoded bytes). JGit parses a patch in memory, so this bounds the heap a diff-commit takes. */
        @WithDefault("33554432")
        long maxPatchSize();
    }
}
