package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.content.GitPaths;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.StorageViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The SDK's {@code listFilesWithMetadata}: entries of a ref's tree with mode, size and the last
 * commit that changed each of them (newest first along first parents: a change made on a merged
 * branch is attributed to its merge), plus those commits' author, date and message.
 */
@ApplicationScoped
public class StorageFileMetadata {

    private static final int MAX_LIMIT = 1000;

    private final GitStore store;

    public StorageFileMetadata(GitStore store) {
        this.store = store;
    }

    public StorageViews.FilesMetadata list(Repo repo, String ref, String ephemeral, String rawPath, String recursiveParam,
                                           String cursor, String rawLimit) {
        boolean eph = StorageReads.bool("ephemeral", ephemeral);
        boolean recursive = recursiveParam == null || recursiveParam.isEmpty() || StorageReads.bool("recursive", recursiveParam);
        String dir = rawPath == null || rawPath.isEmpty() ? null : GitPaths.requireFile(rawPath.replaceFirst("/+$", ""));
        int limit = StorageReads.limit(rawLimit, MAX_LIMIT, MAX_LIMIT);
        String after = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(cursor.startsWith("f_") ? cursor.substring(2) : "!"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("cursor is not one this service returned");
            }
        }
        String name = ref == null || ref.isEmpty() ? repo.defaultBranch() : ref;
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit head = RefSpelling.read(git, walk, repo, "ref", ref, eph);
            List<Entry> entries = entries(git, head, dir, recursive);
            List<Entry> page = new ArrayList<>();
            boolean more = false;
            for (Entry e : entries) {
                if (after != null && e.path.compareTo(after) <= 0) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(e);
            }
            Map<String, RevCommit> last = lastCommits(git, walk, head, page);
            List<StorageViews.FileMetadata> files = new ArrayList<>();
            Map<String, StorageViews.CommitMetadata> commits = new LinkedHashMap<>();
            for (Entry e : page) {
                RevCommit c = last.get(e.path);
                files.add(new StorageViews.FileMetadata(e.path, e.mode, e.size, c.name(), e.type));
                commits.computeIfAbsent(c.name(), k -> new StorageViews.CommitMetadata(c.getAuthorIdent().getName(),
                        c.getAuthorIdent().getWhenAsInstant(), c.getFullMessage()));
            }
            String next = more ? "f_" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(page.get(page.size() - 1).path.getBytes(StandardCharsets.UTF_8)) : null;
            return new StorageViews.FilesMetadata(files, commits, name, next, more);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Entry(String path, String mode, long size, String type, boolean isTree) {
    }

    private static List<Entry> entries(Repository git, RevCommit head, String dir, boolean recursive) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (TreeWalk tree = new TreeWalk(git)) {
            tree.addTree(head.getTree());
            tree.setRecursive(false);
            if (dir != null) {
                tree.setFilter(PathFilter.create(dir));
            }
            boolean found = dir == null;
            while (tree.next()) {
                String path = tree.getPathString();
                boolean inside = dir == null || path.startsWith(dir + "/");
                if (tree.isSubtree()) {
                    if (!inside) {
                        // an ancestor of the directory asked for, or the directory itself
                        found |= path.equals(dir);
                        tree.enterSubtree();
                        continue;
                    }
                    if (recursive) {
                        tree.enterSubtree();
                    } else {
                        out.add(new Entry(path, "040000", 0, "tree", true));
                    }
                    continue;
                }
                if (!inside) {
                    throw new ValidationException("path '" + dir + "' is a file, not a directory");
                }
                FileMode mode = tree.getFileMode(0);
                String type = mode == FileMode.SYMLINK ? "symlink" : mode == FileMode.GITLINK ? "submodule" : "blob";
                long size = mode == FileMode.GITLINK ? 0 : tree.getObjectReader().getObjectSize(tree.getObjectId(0), org.eclipse.jgit.lib.Constants.OBJ_BLOB);
                out.add(new Entry(path, String.format("%06o", mode.getBits()), size, type, false));
            }
            if (!found) {
                throw new NotFoundException("path '" + dir + "' not found");
            }
        }
        out.sort((a, b) -> a.path.compareTo(b.path));
        return out;
    }

    /** For each entry, the newest first-parent commit whose change touched it (for trees: anything below). */
    private static Map<String, RevCommit> lastCommits(Repository git, RevWalk walk, RevCommit head, List<Entry> entries)
            throws IOException {
        Map<String, RevCommit> out = new LinkedHashMap<>();
        Set<String> pending = new HashSet<>();
        entries.forEach(e -> pending.add(e.path));
        RevCommit c = head;
        while (c != null && !pending.isEmpty()) {
            walk.parseHeaders(c);
            RevCommit parent = c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
            try (TreeWalk diff = new TreeWalk(git)) {
                diff.setRecursive(true);
                if (parent == null) {
                    diff.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
                } else {
                    diff.addTree(parent.getTree());
                }
                diff.addTree(c.getTree());
                diff.setFilter(TreeFilter.ANY_DIFF);
                while (diff.next() && !pending.isEmpty()) {
                    String changed = diff.getPathString();
                    for (String p : List.copyOf(pending)) {
                        if (changed.equals(p) || changed.startsWith(p + "/")) {
                            out.put(p, c);
                            pending.remove(p);
                        }
                    }
                }
            }
            c = parent;
        }
        // only possible for entries never changed along first parents (not in a consistent history)
        for (String p : pending) {
            out.put(p, head);
        }
        return out;
    }
}
