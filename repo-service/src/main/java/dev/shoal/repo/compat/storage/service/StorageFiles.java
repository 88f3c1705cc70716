package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.content.GitPaths;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The SDK's {@code getFileStream} and {@code headFile}: one file at a ref (or an ephemeral branch),
 * with what its validators are made of: the blob id (the ETag) and the newest first-parent commit
 * that changed the file (its time is Last-Modified).
 */
@ApplicationScoped
public class StorageFiles {

    private final GitStore store;

    public StorageFiles(GitStore store) {
        this.store = store;
    }

    /** A file found at a commit; {@code loader} streams its bytes. */
    public record FileAt(String path, ObjectLoader loader, String blobSha, String lastCommitSha, Instant lastModified) {

        public long size() {
            return loader.getSize();
        }
    }

    public FileAt open(Repo repo, String rawPath, String ref, String ephemeral) {
        if (rawPath == null || rawPath.isEmpty()) {
            throw new ValidationException("path is required: the file to read, e.g. README.md");
        }
        String path = GitPaths.requireFile(rawPath);
        boolean eph = StorageReads.bool("ephemeral", ephemeral);
        String name = ref == null || ref.isEmpty() ? repo.defaultBranch() : ref;
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit head = RefSpelling.read(git, walk, repo, "ref", ref, eph);
            ObjectId blob;
            try (TreeWalk file = TreeWalk.forPath(git, path, head.getTree())) {
                if (file == null) {
                    throw new NotFoundException("file '" + path + "' not found at " + name);
                }
                if (file.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    throw new ValidationException("path '" + path + "' is a directory, not a file: list it with repos/files");
                }
                blob = file.getObjectId(0);
            }
            RevCommit last = lastChange(walk, head, path);
            return new FileAt(path, git.open(blob, Constants.OBJ_BLOB), blob.name(), last.name(),
                    last.getCommitterIdent().getWhenAsInstant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest commit along first parents whose change touched {@code path} ({@code git log -1 --first-parent -- path}). */
    private static RevCommit lastChange(RevWalk walk, RevCommit head, String path) throws IOException {
        walk.reset();
        walk.setFirstParent(true);
        walk.setTreeFilter(AndTreeFilter.create(PathFilterGroup.createFromStrings(path), TreeFilter.ANY_DIFF));
        walk.markStart(walk.parseCommit(head));
        RevCommit found = walk.next();
        walk.parseHeaders(found == null ? head : found);
        return found == null ? head : found;
    }
}
