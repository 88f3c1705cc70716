package dev.shoal.repo.content.service;

import dev.shoal.platform.error.ApiException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.diff.Sequence;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeResult;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;

/**
 * The one three-way tree merge of the server, done in memory (bare repositories have no work
 * tree): pull-request merges, squashes and rebases ({@link MergeService}) and the Code Storage
 * merge and merge preview all go through it, so they agree on what conflicts.
 * Nothing here moves a ref: the objects a merge writes stay unreferenced (GC collects them)
 * unless a caller points a ref at them.
 */
public final class TreeMerge {

    private TreeMerge() {
    }

    /** A merge's outcome: the merged tree when clean, else the conflicting paths and JGit's per-file results. */
    public record Outcome(ObjectId tree, List<String> conflicts, Map<String, MergeResult<? extends Sequence>> results) {

        public boolean clean() {
            return tree != null;
        }

        /** 409 {@code merge_conflict} naming the paths in {@code details.paths}, as pull-request merges answer. */
        public ApiException conflict() {
            if (conflicts.isEmpty()) { // JGit refused without naming a path (not seen in memory, but never report "0 files")
                return new ApiException(409, "merge_conflict", "the branches cannot be merged automatically",
                        Map.of("paths", List.of()));
            }
            return new ApiException(409, "merge_conflict", "the changes conflict in " + conflicts.size()
                    + " file(s): " + String.join(", ", conflicts.size() > 20 ? conflicts.subList(0, 20) : conflicts)
                    + (conflicts.size() > 20 ? ", …" : "") + "; resolve them on the source branch and try again",
                    Map.of("paths", conflicts));
        }
    }

    /**
     * Merges {@code theirs} into {@code ours}. {@code base} null: their merge base, found recursively
     * as git does (no common ancestor: the empty tree, which is what merging unrelated histories means;
     * callers that must refuse those check first).
     */
    public static Outcome merge(Repository git, AnyObjectId ours, AnyObjectId theirs, AnyObjectId base) throws IOException {
        ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(git, true);
        if (base != null) {
            merger.setBase(base);
        }
        boolean clean = merger.merge(ours, theirs);
        Set<String> paths = new TreeSet<>(merger.getUnmergedPaths());
        if (merger.getFailingPaths() != null) {
            paths.addAll(merger.getFailingPaths().keySet());
        }
        if (clean && paths.isEmpty()) {
            return new Outcome(merger.getResultTreeId(), List.of(), Map.of());
        }
        return new Outcome(null, List.copyOf(paths), merger.getMergeResults() == null ? Map.of() : merger.getMergeResults());
    }
}
