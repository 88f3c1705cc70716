package dev.shoal.repo.content.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.patch.FileHeader;

/**
 * The one diff engine: what changed from one tree to another, file by file, with line counts and
 * git's unified patch of each file (renames detected, whitespace significant). Changesets,
 * comparisons and the Code Storage diffs all read their diffs here and only shape the answer.
 * Blocking: call on a worker.
 */
public final class TreeDiff {

    /**
     * One changed file. {@code path} is the new path (the old one for a deletion), {@code oldPath}
     * the source of a rename or copy (null otherwise); {@code patch} is the file's unified diff as
     * git writes it (a "Binary files differ" line for binary content).
     */
    public record ChangedFile(DiffEntry.ChangeType change, String path, String oldPath, FileMode oldMode, FileMode newMode,
                              int additions, int deletions, boolean binary, byte[] patch) {

        /** A modification that turned one kind of object into another (a file into a symlink or a submodule). */
        public boolean typeChanged() {
            return change == DiffEntry.ChangeType.MODIFY && oldMode != null && newMode != null
                    && oldMode.getObjectType() != newMode.getObjectType();
        }

        public String patchText() {
            return new String(patch, StandardCharsets.UTF_8);
        }
    }

    private TreeDiff() {
    }

    /** Every file that differs from tree {@code from} (null: the empty tree) to tree {@code to}, in git's order. */
    public static List<ChangedFile> between(Repository git, ObjectId from, ObjectId to) throws IOException {
        List<ChangedFile> files = new ArrayList<>();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(); DiffFormatter formatter = new DiffFormatter(out)) {
            formatter.setRepository(git);
            formatter.setDiffComparator(RawTextComparator.DEFAULT);
            formatter.setDetectRenames(true);
            for (DiffEntry entry : formatter.scan(from, to)) {
                FileHeader header = formatter.toFileHeader(entry);
                int additions = 0;
                int deletions = 0;
                for (Edit edit : header.toEditList()) {
                    additions += edit.getLengthB();
                    deletions += edit.getLengthA();
                }
                out.reset();
                formatter.format(entry);
                formatter.flush();
                DiffEntry.ChangeType change = entry.getChangeType();
                files.add(new ChangedFile(change,
                        change == DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath(),
                        change == DiffEntry.ChangeType.RENAME || change == DiffEntry.ChangeType.COPY ? entry.getOldPath() : null,
                        entry.getOldMode(), entry.getNewMode(), additions, deletions,
                        header.getPatchType() != FileHeader.PatchType.UNIFIED, out.toByteArray()));
            }
        }
        return files;
    }

    /** The whole patch of {@code files}: each file's patch, in order, as {@code git diff} prints them. */
    public static String patch(List<ChangedFile> files) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        files.forEach(file -> all.writeBytes(file.patch()));
        return all.toString(StandardCharsets.UTF_8);
    }
}
