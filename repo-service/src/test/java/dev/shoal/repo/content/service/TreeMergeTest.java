package dev.shoal.repo.content.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;

/** The shared in-memory tree merge on its own: clean, conflicting, unrelated and explicit-base merges. */
class TreeMergeTest {

    private final Repository git = new InMemoryRepository(new DfsRepositoryDescription("merge"));

    private ObjectId commit(Map<String, String> files, ObjectId... parents) throws Exception {
        try (ObjectInserter inserter = git.newObjectInserter()) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            for (var file : new TreeMap<>(files).entrySet()) {
                DirCacheEntry entry = new DirCacheEntry(file.getKey());
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
                builder.add(entry);
            }
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            commit.setParentIds(parents);
            PersonIdent ident = new PersonIdent("t", "t@example.com");
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage("c");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private String read(ObjectId tree, String path) throws Exception {
        try (TreeWalk walk = TreeWalk.forPath(git, path, tree)) {
            return walk == null ? null : new String(git.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void mergesIndependentChangesAndReportsConflictsWithoutWritingATree() throws Exception {
        ObjectId base = commit(Map.of("a.txt", "1\n2\n3\n", "b.txt", "b\n"));
        ObjectId ours = commit(Map.of("a.txt", "one\n2\n3\n", "b.txt", "b\n"), base);
        ObjectId theirs = commit(Map.of("a.txt", "1\n2\nthree\n", "b.txt", "b\n", "c.txt", "c\n"), base);

        TreeMerge.Outcome clean = TreeMerge.merge(git, ours, theirs, null);
        assertThat(clean.clean()).isTrue();
        assertThat(read(clean.tree(), "a.txt")).isEqualTo("one\n2\nthree\n");
        assertThat(read(clean.tree(), "c.txt")).isEqualTo("c\n");

        ObjectId clash = commit(Map.of("a.txt", "uno\n2\n3\n", "b.txt", "B\n"), base);
        TreeMerge.Outcome conflicted = TreeMerge.merge(git, ours, clash, null);
        assertThat(conflicted.clean()).isFalse();
        assertThat(conflicted.tree()).isNull();
        assertThat(conflicted.conflicts()).containsExactly("a.txt");
        assertThat(conflicted.results()).containsKey("a.txt");
        ApiException e = conflicted.conflict();
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("merge_conflict");
        assertThat(e.details()).isEqualTo(Map.of("paths", List.of("a.txt")));
        assertThat(e.getMessage()).contains("1 file(s): a.txt");
    }

    @Test
    void unrelatedHistoriesMergeAgainstTheEmptyTreeAndAnExplicitBaseReplaysOneCommit() throws Exception {
        ObjectId left = commit(Map.of("l.txt", "l\n"));
        ObjectId right = commit(Map.of("r.txt", "r\n"));
        TreeMerge.Outcome joined = TreeMerge.merge(git, left, right, null);
        assertThat(joined.clean()).isTrue();
        assertThat(read(joined.tree(), "l.txt")).isEqualTo("l\n");
        assertThat(read(joined.tree(), "r.txt")).isEqualTo("r\n");
        // both add the same path differently: a conflict (add/add)
        ObjectId other = commit(Map.of("l.txt", "L\n"));
        assertThat(TreeMerge.merge(git, left, other, null).conflicts()).containsExactly("l.txt");

        // a rebase step: only the change between the commit and its parent is applied
        ObjectId parent = commit(Map.of("f.txt", "f\n", "g.txt", "g\n"));
        ObjectId change = commit(Map.of("f.txt", "F\n", "g.txt", "g\n"), parent);
        ObjectId onto = commit(Map.of("g.txt", "G\n", "f.txt", "f\n"));
        TreeMerge.Outcome replayed = TreeMerge.merge(git, onto, change, parent);
        assertThat(replayed.clean()).isTrue();
        assertThat(read(replayed.tree(), "f.txt")).isEqualTo("F\n");
        assertThat(read(replayed.tree(), "g.txt")).isEqualTo("G\n");
    }
}
