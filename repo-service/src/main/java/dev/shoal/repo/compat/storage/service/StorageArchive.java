package dev.shoal.repo.compat.storage.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.ObjectStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * SDK {@code getArchiveStream}: a {@code .tar.gz} of the tree at a ref, written straight from the
 * object store to the response (one blob at a time, never the archive in memory). The request is
 * checked and the ref resolved in {@link #prepare} before a byte is sent, so every refusal is still
 * an error envelope; {@link Archive#writeTo} then only streams. Blocking: call on a worker.
 */
@ApplicationScoped
public class StorageArchive {

    private final GitStore store;

    public StorageArchive(GitStore store) {
        this.store = store;
    }

    public record Request(String ref, @JsonProperty("include_globs") List<String> includeGlobs,
                          @JsonProperty("exclude_globs") List<String> excludeGlobs,
                          @JsonProperty("max_blob_size") Long maxBlobSize, Options archive) {
    }

    public record Options(String prefix) {
    }

    /** A checked request on a resolved commit, ready to stream. */
    public final class Archive {
        private final Repo repo;
        private final String label;
        private final String rev;
        private final String commit;
        private final String prefix;
        private final PathGlobs globs;
        private final long maxBlobSize;

        private Archive(Repo repo, String label, String rev, String commit, String prefix, PathGlobs globs,
                        long maxBlobSize) {
            this.repo = repo;
            this.label = label;
            this.rev = rev;
            this.commit = commit;
            this.prefix = prefix;
            this.globs = globs;
            this.maxBlobSize = maxBlobSize;
        }

        /** {@code <repo>-<rev>.tar.gz}, reduced to characters safe in a header. */
        public String fileName() {
            return (label + "-" + rev).replaceAll("[^A-Za-z0-9._-]", "_") + ".tar.gz";
        }

        public String commit() {
            return commit;
        }

        public void writeTo(OutputStream target) throws IOException {
            Repository git = store.open(repo.id());
            GZIPOutputStream gzip = new GZIPOutputStream(target, 64 * 1024);
            try (RevWalk walk = new RevWalk(git); TreeWalk tree = new TreeWalk(git)) {
                RevCommit head = walk.parseCommit(org.eclipse.jgit.lib.ObjectId.fromString(commit));
                ObjectReader reader = walk.getObjectReader();
                tree.addTree(head.getTree());
                tree.setRecursive(true);
                try (TarWriter tar = new TarWriter(gzip, head.getCommitTime())) {
                    tar.globalComment(commit);
                    while (tree.next()) {
                        String path = tree.getPathString();
                        FileMode mode = tree.getFileMode(0);
                        boolean symlink = mode == FileMode.SYMLINK;
                        if ((mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE && !symlink)
                                || !globs.wanted(path)) {
                            continue; // submodules (gitlinks) have no content here
                        }
                        ObjectLoader blob = reader.open(tree.getObjectId(0), Constants.OBJ_BLOB);
                        if (blob.getSize() > maxBlobSize) {
                            continue;
                        }
                        if (symlink) {
                            tar.symlink(prefix + path, new String(blob.getCachedBytes(4096), StandardCharsets.UTF_8));
                        } else {
                            try (ObjectStream in = blob.openStream()) {
                                tar.file(prefix + path, mode == FileMode.EXECUTABLE_FILE ? 0755 : 0644, blob.getSize(), in);
                            }
                        }
                    }
                }
            }
            gzip.finish();
            gzip.flush();
        }
    }

    /** {@code storageId} names the download ({@code <id>-<rev>.tar.gz}). */
    public Archive prepare(Repo repo, String storageId, Request req) {
        Request r = req == null ? new Request(null, null, null, null, null) : req;
        PathGlobs globs = PathGlobs.of(r.includeGlobs(), "include_globs", r.excludeGlobs(), "exclude_globs");
        if (r.maxBlobSize() != null && r.maxBlobSize() < 0) {
            throw new ValidationException("max_blob_size must be a number of bytes, 0 or more");
        }
        String prefix = prefix(r.archive() == null ? null : r.archive().prefix());
        String ref = r.ref() == null || r.ref().isBlank() ? null : r.ref().trim();
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit head = RefSpelling.read(git, walk, repo, "ref", ref, false);
            return new Archive(repo, storageId, ref == null ? repo.defaultBranch() : ref, head.name(), prefix, globs,
                    r.maxBlobSize() == null ? Long.MAX_VALUE : r.maxBlobSize());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code archive.prefix}: a relative path, no backslashes, no leading '/', no empty, '.' or
     * '..' segments, no control characters; a trailing '/' is added when missing.
     */
    static String prefix(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        String p = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        boolean bad = p.isEmpty() || p.length() > 200 || p.startsWith("/") || p.contains("\\")
                || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        if (!bad) {
            for (String segment : p.split("/", -1)) {
                bad |= segment.isEmpty() || segment.equals(".") || segment.equals("..");
            }
        }
        if (bad) {
            throw new ValidationException("archive.prefix must be a relative path such as 'repo/' (no leading '/', no "
                    + "backslashes, no empty, '.' or '..' segments, no control characters)");
        }
        return p + "/";
    }
}
