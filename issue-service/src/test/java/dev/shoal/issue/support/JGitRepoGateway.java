package dev.shoal.issue.support;

import dev.shoal.issue.client.RepoGateway;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.NotFoundException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A test double of {@link RepoGateway} (repo-service does not run in this module's tests) that
 * does the real git work with JGit on temporary bare repositories: refs resolve, comparisons diff
 * real trees, merges run JGit's recursive merger and conflicts are real conflicts. The HTTP path
 * to the real repo-service is covered by the end-to-end test of the whole stack.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class JGitRepoGateway implements RepoGateway {

    /** When every repository of this stand-in was created (what repo-service's {@code created_at} says). */
    public static final java.time.Instant CREATED = java.time.Instant.parse("2024-01-15T10:30:00Z");

    private static final String HEADS = "refs/heads/";
    private final Map<Long, Repository> repositories = new ConcurrentHashMap<>();
    private final Path root;

    public JGitRepoGateway() {
        try {
            root = Files.createTempDirectory("issue-service-git");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bare repository of {@code repoId}, created empty (HEAD on main) on first use. */
    public Repository repository(long repoId) {
        return repositories.computeIfAbsent(repoId, id -> {
            try {
                Repository repo = new FileRepository(root.resolve(id + ".git").toFile());
                repo.create(true);
                RefUpdate head = repo.updateRef(Constants.HEAD);
                head.link(HEADS + "main");
                return repo;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Commits {@code files} (path → content) on top of {@code branch} (or of main when the branch is new). */
    public synchronized String commit(long repoId, String branch, Map<String, String> files, String message) {
        Repository repo = repository(repoId);
        try (ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader();
             RevWalk walk = new RevWalk(reader)) {
            Ref ref = repo.exactRef(HEADS + branch);
            if (ref == null) {
                ref = repo.exactRef(HEADS + "main");
            }
            RevCommit parent = ref == null ? null : walk.parseCommit(ref.getObjectId());
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            if (parent != null) {
                builder.addTree(new byte[0], 0, reader, parent.getTree());
            }
            builder.finish();
            DirCacheEditor editor = index.editor();
            for (Map.Entry<String, String> file : files.entrySet()) {
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8));
                editor.add(new DirCacheEditor.PathEdit(file.getKey()) {
                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(FileMode.REGULAR_FILE);
                        entry.setObjectId(blob);
                    }
                });
            }
            editor.finish();
            ObjectId tree = index.writeTree(inserter);
            PersonIdent who = new PersonIdent("Tester", "tester@example.com");
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = repo.updateRef(HEADS + branch);
            update.setNewObjectId(id);
            update.forceUpdate();
            return id.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String head(long repoId, String branch) {
        try {
            Ref ref = repository(repoId).exactRef(HEADS + branch);
            return ref == null ? null : ref.getObjectId().name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The content of {@code path} on {@code branch}, or null. */
    public String read(long repoId, String branch, String path) {
        return blob(repository(repoId), HEADS + branch, path).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    @Override
    public Uni<RepoInfo> repo(long repoId) {
        return blocking(() -> {
            repository(repoId);
            return new RepoInfo(repoId, "acme", "repo" + repoId, false, "main", "repository " + repoId, CREATED);
        });
    }

    @Override
    public Uni<Optional<ResolvedRef>> resolve(long repoId, String ref) {
        return blocking(() -> {
            Repository repo = repository(repoId);
            String name = "default".equals(ref) || "tip".equals(ref) ? HEADS + "main" : ref;
            Ref found = repo.findRef(name);
            if (found != null && found.getObjectId() != null) {
                return Optional.of(new ResolvedRef(found.getObjectId().name(), found.getName()));
            }
            if (name.matches("[0-9a-f]{40}") && repo.getObjectDatabase().has(ObjectId.fromString(name))) {
                return Optional.of(new ResolvedRef(name, name));
            }
            return Optional.empty();
        });
    }

    @Override
    public Uni<Comparison> compare(long repoId, String base, String head) {
        return blocking(() -> {
            Repository repo = repository(repoId);
            try (RevWalk walk = new RevWalk(repo); ByteArrayOutputStream out = new ByteArrayOutputStream();
                 DiffFormatter formatter = new DiffFormatter(out)) {
                RevCommit baseCommit = walk.parseCommit(id(repo, base));
                RevCommit headCommit = walk.parseCommit(id(repo, head));
                walk.setRevFilter(RevFilter.MERGE_BASE);
                walk.markStart(baseCommit);
                walk.markStart(headCommit);
                RevCommit mergeBase = walk.next();
                walk.reset();
                walk.setRevFilter(RevFilter.ALL);
                walk.markStart(walk.parseCommit(headCommit));
                if (mergeBase != null) {
                    walk.markUninteresting(walk.parseCommit(mergeBase));
                }
                List<Commit> commits = new ArrayList<>();
                for (RevCommit c : walk) {
                    commits.add(new Commit(c.name(), c.getFullMessage(), c.getAuthorIdent().getName()));
                }
                formatter.setRepository(repo);
                formatter.setDiffComparator(RawTextComparator.DEFAULT);
                formatter.setDetectRenames(true);
                List<DiffEntry> entries = formatter.scan(mergeBase == null ? null : mergeBase.getTree(), headCommit.getTree());
                List<FileChange> files = new ArrayList<>();
                for (DiffEntry entry : entries) {
                    int additions = 0;
                    int deletions = 0;
                    for (Edit edit : formatter.toFileHeader(entry).toEditList()) {
                        additions += edit.getLengthB();
                        deletions += edit.getLengthA();
                    }
                    String status = switch (entry.getChangeType()) {
                        case ADD -> "added";
                        case DELETE -> "deleted";
                        case RENAME -> "renamed";
                        default -> "modified";
                    };
                    String path = entry.getChangeType() == DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath();
                    files.add(new FileChange(path, entry.getOldPath(), status, additions, deletions, false));
                    formatter.format(entry);
                }
                formatter.flush();
                return new Comparison(mergeBase == null ? null : mergeBase.name(), baseCommit.name(), headCommit.name(),
                        commits, files, out.toString(StandardCharsets.UTF_8));
            }
        });
    }

    @Override
    public Uni<MergeResult> merge(long repoId, MergeCommand command) {
        return blocking(() -> {
            Repository repo = repository(repoId);
            synchronized (repo) {
                Ref source = repo.exactRef(HEADS + command.source());
                Ref target = repo.exactRef(HEADS + command.target());
                if (source == null || target == null) {
                    throw new NotFoundException("branch " + (source == null ? command.source() : command.target()) + " not found");
                }
                try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
                    RevCommit targetCommit = walk.parseCommit(target.getObjectId());
                    RevCommit sourceCommit = walk.parseCommit(source.getObjectId());
                    PersonIdent who = new PersonIdent(command.authorName(), command.authorEmail());
                    ObjectId result;
                    if ("fast_forward".equals(command.method())) {
                        if (!walk.isMergedInto(targetCommit, sourceCommit)) {
                            throw new ApiException(409, "not_fast_forward", "target has commits the source lacks");
                        }
                        result = sourceCommit;
                    } else if ("rebase".equals(command.method())) {
                        walk.setRevFilter(RevFilter.ALL);
                        walk.markStart(sourceCommit);
                        walk.markUninteresting(targetCommit);
                        List<RevCommit> replay = new ArrayList<>();
                        walk.forEach(replay::add);
                        Collections.reverse(replay);
                        ObjectId tip = targetCommit;
                        for (RevCommit c : replay) {
                            ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
                            merger.setBase(c.getParentCount() == 0 ? null : c.getParent(0));
                            if (!merger.merge(tip, c)) {
                                throw conflict(merger);
                            }
                            tip = write(inserter, merger.getResultTreeId(), c.getFullMessage(), who, tip);
                        }
                        result = tip;
                    } else {
                        ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
                        if (!merger.merge(targetCommit, sourceCommit)) {
                            throw conflict(merger);
                        }
                        result = "squash".equals(command.method())
                                ? write(inserter, merger.getResultTreeId(), command.message(), who, targetCommit)
                                : write(inserter, merger.getResultTreeId(), command.message(), who, targetCommit, sourceCommit);
                    }
                    inserter.flush();
                    RefUpdate update = repo.updateRef(HEADS + command.target());
                    update.setExpectedOldObjectId(targetCommit);
                    update.setNewObjectId(result);
                    RefUpdate.Result outcome = update.update();
                    if (outcome != RefUpdate.Result.FAST_FORWARD && outcome != RefUpdate.Result.NO_CHANGE) {
                        throw new IllegalStateException("ref update " + outcome);
                    }
                    return new MergeResult(result.name(), command.method());
                }
            }
        });
    }

    @Override
    public Uni<MergeResult> rebase(long repoId, RebaseCommand command) {
        return blocking(() -> {
            Repository repo = repository(repoId);
            synchronized (repo) {
                Ref branch = repo.exactRef(HEADS + command.branch());
                Ref onto = repo.exactRef(HEADS + command.onto());
                if (branch == null || onto == null) {
                    throw new NotFoundException("branch " + (branch == null ? command.branch() : command.onto()) + " not found");
                }
                try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
                    RevCommit ontoCommit = walk.parseCommit(onto.getObjectId());
                    RevCommit branchCommit = walk.parseCommit(branch.getObjectId());
                    if (walk.isMergedInto(ontoCommit, branchCommit)) {
                        return new MergeResult(branchCommit.name(), "rebase");
                    }
                    walk.reset();
                    walk.setRevFilter(RevFilter.ALL);
                    walk.markStart(branchCommit);
                    walk.markUninteresting(ontoCommit);
                    List<RevCommit> replay = new ArrayList<>();
                    walk.forEach(replay::add);
                    Collections.reverse(replay);
                    ObjectId tip = ontoCommit;
                    for (RevCommit c : replay) {
                        ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
                        merger.setBase(c.getParentCount() == 0 ? null : c.getParent(0));
                        if (!merger.merge(tip, c)) {
                            throw conflict(merger);
                        }
                        tip = write(inserter, merger.getResultTreeId(), c.getFullMessage(), c.getAuthorIdent(), tip);
                    }
                    inserter.flush();
                    RefUpdate update = repo.updateRef(HEADS + command.branch());
                    update.setExpectedOldObjectId(branchCommit);
                    update.setNewObjectId(tip);
                    update.setForceUpdate(true);
                    RefUpdate.Result outcome = update.update();
                    if (outcome != RefUpdate.Result.FORCED && outcome != RefUpdate.Result.FAST_FORWARD) {
                        throw new IllegalStateException("ref update " + outcome);
                    }
                    return new MergeResult(tip.name(), "rebase");
                }
            }
        });
    }

    @Override
    public Uni<List<TreeEntry>> tree(long repoId, String ref, String path) {
        return blocking(() -> {
            Repository repo = repository(repoId);
            Optional<ResolvedRef> resolved = resolve(repoId, ref).await().indefinitely();
            if (resolved.isEmpty()) {
                return List.<TreeEntry>of();
            }
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit commit = walk.parseCommit(ObjectId.fromString(resolved.get().sha()));
                try (TreeWalk dir = TreeWalk.forPath(repo, path, commit.getTree())) {
                    if (dir == null || !dir.isSubtree()) {
                        return List.<TreeEntry>of();
                    }
                    List<TreeEntry> entries = new ArrayList<>();
                    try (TreeWalk children = new TreeWalk(repo)) {
                        children.addTree(dir.getObjectId(0));
                        while (children.next()) {
                            boolean isDir = children.isSubtree();
                            long size = isDir ? 0 : repo.open(children.getObjectId(0)).getSize();
                            entries.add(new TreeEntry(children.getNameString(), isDir, size));
                        }
                    }
                    return entries;
                }
            }
        });
    }

    @Override
    public Uni<Optional<byte[]>> file(long repoId, String ref, String path) {
        return blocking(() -> blob(repository(repoId), "default".equals(ref) ? HEADS + "main" : ref, path));
    }

    private static Optional<byte[]> blob(Repository repo, String ref, String path) {
        try (RevWalk walk = new RevWalk(repo)) {
            Ref found = repo.findRef(ref);
            if (found == null) {
                return Optional.empty();
            }
            RevCommit commit = walk.parseCommit(found.getObjectId());
            try (TreeWalk file = TreeWalk.forPath(repo, path, commit.getTree())) {
                if (file == null || file.isSubtree()) {
                    return Optional.empty();
                }
                return Optional.of(repo.open(file.getObjectId(0)).getBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiException conflict(ResolveMerger merger) {
        TreeSet<String> paths = new TreeSet<>(merger.getUnmergedPaths());
        if (merger.getFailingPaths() != null) {
            paths.addAll(merger.getFailingPaths().keySet());
        }
        return new ApiException(409, "merge_conflict", "the branches conflict in " + paths.size() + " file(s)",
                Map.of("paths", List.copyOf(paths)));
    }

    private static ObjectId write(ObjectInserter inserter, ObjectId tree, String message, PersonIdent who,
                                  ObjectId... parents) throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setParentIds(parents);
        commit.setAuthor(who);
        commit.setCommitter(who);
        commit.setMessage(message);
        return inserter.insert(commit);
    }

    private static ObjectId id(Repository repo, String ref) throws IOException {
        ObjectId id = repo.resolve(ref);
        if (id == null) {
            throw new NotFoundException("unknown revision " + ref);
        }
        return id;
    }

    private static <T> Uni<T> blocking(Callable<T> work) {
        return Uni.createFrom().item(() -> {
            try {
                return work.call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
