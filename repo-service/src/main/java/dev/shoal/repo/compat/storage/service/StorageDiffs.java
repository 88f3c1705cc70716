package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.content.service.TreeDiff;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.StorageViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

/**
 * Code Storage's branch and commit diffs: the refs are read in Code Storage's spelling, the diff is
 * content's {@link TreeDiff}, and the answer is reshaped into Code Storage's (states {@code A D R C M
 * T}, {@code raw} per file, large, binary and lock files moved to {@code filtered_files} without
 * their patch). Blocking: call on a worker.
 */
@ApplicationScoped
public class StorageDiffs {

    private static final long MAX_DIFF_BYTES = 500 * 1024;
    private static final int MAX_DIFF_LINES = 2000;
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern LOCK_FILES = Pattern.compile(
            "(^|/)(package-lock\\.json|yarn\\.lock|pnpm-lock\\.yaml|go\\.sum|Cargo\\.lock|poetry\\.lock|Gemfile\\.lock|composer\\.lock)$");
    private static final String NO_NEWLINE_AT_EOF = "\\ No newline at end of file";

    private final GitStore store;

    public StorageDiffs(GitStore store) {
        this.store = store;
    }

    /** Three-dot: what {@code branch} changed since it left {@code base}. */
    public StorageViews.Diff branchDiff(Repo repo, String branch, String base, String ephemeral, String ephemeralBase) {
        if (branch == null || branch.isEmpty()) {
            throw new ValidationException("branch is required");
        }
        boolean eph = StorageReads.bool("ephemeral", ephemeral);
        boolean ephBase = StorageReads.bool("ephemeral_base", ephemeralBase);
        // answered in the short spelling whichever one the client sent
        String name = RefSpelling.branch("branch", branch);
        String baseName = RefSpelling.branch("base", base == null || base.isEmpty() ? repo.defaultBranch() : base);
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit head = walk.parseCommit(RefSpelling.branchHead(git, "branch", name, eph));
            RevCommit baseHead = walk.parseCommit(RefSpelling.branchHead(git, "base", baseName, ephBase));
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(head);
            walk.markStart(baseHead);
            RevCommit mergeBase = walk.next();
            walk.reset();
            walk.setRevFilter(RevFilter.ALL);
            RevTree from = mergeBase == null ? null : walk.parseCommit(mergeBase).getTree();
            return diff(git, from, head.getTree(), null, name, baseName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public StorageViews.Diff commitDiff(Repo repo, String sha, String baseSha) {
        if (sha == null || !SHA.matcher(sha).matches()) {
            throw new ValidationException("sha is required: a full 40-character commit SHA");
        }
        if (baseSha != null && !baseSha.isEmpty() && !SHA.matcher(baseSha).matches()) {
            throw new ValidationException("baseSha must be a full 40-character commit SHA");
        }
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit commit = commit(walk, sha);
            RevTree from;
            if (baseSha != null && !baseSha.isEmpty()) {
                from = commit(walk, baseSha).getTree();
            } else {
                from = commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0)).getTree();
            }
            return diff(git, from, commit.getTree(), commit.name(), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RevCommit commit(RevWalk walk, String sha) throws IOException {
        try {
            return walk.parseCommit(ObjectId.fromString(sha));
        } catch (MissingObjectException | IncorrectObjectTypeException e) {
            throw new NotFoundException("commit " + sha + " not found");
        }
    }

    private static StorageViews.Diff diff(Repository git, RevTree from, RevTree to, String sha, String branch, String base)
            throws IOException {
        List<StorageViews.FileDiff> files = new ArrayList<>();
        List<StorageViews.FileDiff> filtered = new ArrayList<>();
        int additions = 0;
        int deletions = 0;
        for (TreeDiff.ChangedFile change : TreeDiff.between(git, from, to)) {
            additions += change.additions();
            deletions += change.deletions();
            String raw = change.patchText();
            boolean skip = change.binary() || change.patch().length > MAX_DIFF_BYTES
                    || change.additions() + change.deletions() > MAX_DIFF_LINES || LOCK_FILES.matcher(change.path()).find();
            StorageViews.FileDiff file = new StorageViews.FileDiff(change.path(), state(change),
                    change.oldPath() == null ? "" : change.oldPath(), change.patch().length, !raw.contains(NO_NEWLINE_AT_EOF),
                    skip ? null : raw);
            (skip ? filtered : files).add(file);
        }
        return new StorageViews.Diff(sha, branch, base,
                new StorageViews.Stats(files.size() + filtered.size(), additions, deletions, additions + deletions), files, filtered);
    }

    /** git's status letters; {@code T}: the same path became another kind of object. */
    private static String state(TreeDiff.ChangedFile change) {
        if (change.typeChanged()) {
            return "T";
        }
        return switch (change.change()) {
            case ADD -> "A";
            case DELETE -> "D";
            case RENAME -> "R";
            case COPY -> "C";
            case MODIFY -> "M";
        };
    }
}
