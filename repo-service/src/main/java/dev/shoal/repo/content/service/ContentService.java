package dev.shoal.repo.content.service;

import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.error.PayloadTooLargeException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.config.RepoConfig;
import dev.shoal.repo.content.BlobView;
import dev.shoal.repo.content.BranchView;
import dev.shoal.repo.content.Changeset;
import dev.shoal.repo.content.Comparison;
import dev.shoal.repo.content.GitPaths;
import dev.shoal.repo.content.ResolvedRev;
import dev.shoal.repo.content.TagView;
import dev.shoal.repo.content.TreeEntry;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.service.PushEvents;
import dev.shoal.repo.protection.service.ProtectionService;
import dev.shoal.repo.repo.Repo;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads repository contents with JGit. Every method blocks: callers run it on a worker thread.
 * Paths are looked up with TreeWalk in the commit's tree, never on the file system.
 */
@ApplicationScoped
public class ContentService {

    private static final int MAX_CACHED_REVS = 100_000;

    private final GitStore store;
    private final RepoConfig config;
    private final ProtectionService protections;
    /** Commit SHA → number of commits reachable from it; a SHA's ancestry never changes, in any repository. */
    private final Map<String, Long> revCounts = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_CACHED_REVS;
        }
    });

    public ContentService(GitStore store, RepoConfig config, ProtectionService protections) {
        this.store = store;
        this.config = config;
        this.protections = protections;
    }

    public ResolvedRev resolve(Repo repo, String rev) {
        return RevResolver.resolve(store.open(repo.id()), repo, rev);
    }

    /** The commit a rev names, described as push events describe their head commit. */
    public RepoPushed.Commit commit(Repo repo, String rev) {
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            return PushEvents.commit(RevResolver.parse(walk, RevResolver.resolve(git, walk, repo, rev)));
        }
    }

    public List<TreeEntry> tree(Repo repo, String rev, String rawPath) {
        String path = GitPaths.normalize(rawPath);
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git); ObjectReader reader = git.newObjectReader()) {
            RevCommit commit = RevResolver.parse(walk, RevResolver.resolve(git, walk, repo, rev));
            ObjectId treeId = commit.getTree();
            if (!path.isEmpty()) {
                try (TreeWalk at = TreeWalk.forPath(reader, path, commit.getTree())) {
                    if (at == null) {
                        throw missing(path, rev);
                    }
                    if (at.getFileMode(0) != FileMode.TREE) {
                        throw new ValidationException("'" + path + "' is a file, not a directory: read it with /blob/" + path);
                    }
                    treeId = at.getObjectId(0);
                }
            }
            List<TreeEntry> entries = new ArrayList<>();
            try (TreeWalk walkTree = new TreeWalk(reader)) {
                walkTree.addTree(treeId);
                walkTree.setRecursive(false);
                while (walkTree.next()) {
                    FileMode mode = walkTree.getFileMode(0);
                    boolean dir = mode == FileMode.TREE;
                    long size = (mode.getObjectType() == Constants.OBJ_BLOB)
                            ? reader.getObjectSize(walkTree.getObjectId(0), Constants.OBJ_BLOB) : 0;
                    entries.add(new TreeEntry(walkTree.getNameString(), dir, size));
                }
            }
            entries.sort(Comparator.comparing((TreeEntry e) -> !e.isDir()).thenComparing(TreeEntry::name));
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blob's loader, for streaming; refuses directories. */
    public ObjectLoader open(Repo repo, String rev, String rawPath) {
        String path = GitPaths.requireFile(rawPath);
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git); ObjectReader reader = git.newObjectReader()) {
            RevCommit commit = RevResolver.parse(walk, RevResolver.resolve(git, walk, repo, rev));
            try (TreeWalk at = TreeWalk.forPath(reader, path, commit.getTree())) {
                if (at == null) {
                    throw missing(path, rev);
                }
                FileMode mode = at.getFileMode(0);
                if (mode.getObjectType() != Constants.OBJ_BLOB) {
                    throw new ValidationException("'" + path + "' is a directory, not a file: list it with /tree/" + path);
                }
                return git.open(at.getObjectId(0), Constants.OBJ_BLOB);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public BlobView blob(Repo repo, String rev, String rawPath) {
        String path = GitPaths.requireFile(rawPath);
        ObjectLoader loader = open(repo, rev, path);
        long size = loader.getSize();
        if (size > config.maxInlineBlob()) {
            throw new PayloadTooLargeException("'" + path + "' is " + size + " bytes, more than the " + config.maxInlineBlob()
                    + " bytes returned inline: fetch the raw file with ?raw=1");
        }
        byte[] bytes;
        try {
            bytes = loader.getCachedBytes(Math.toIntExact(config.maxInlineBlob()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = RawText.isBinary(bytes) ? null : utf8(bytes);
        return text != null ? new BlobView(path, text, size, "utf-8")
                : new BlobView(path, Base64.getEncoder().encodeToString(bytes), size, "base64");
    }

    public PageResponse<Changeset> log(Repo repo, String rev, PageRequest page) {
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            ResolvedRev resolved = RevResolver.resolve(git, walk, repo, rev);
            RevCommit start = RevResolver.parse(walk, resolved);
            long total = revCount(git, start);
            walk.sort(RevSort.COMMIT_TIME_DESC);
            walk.markStart(start);
            List<RevCommit> commits = new ArrayList<>();
            long skip = page.offset();
            for (RevCommit c : walk) {
                if (skip > 0) {
                    skip--;
                    continue;
                }
                commits.add(c);
                if (commits.size() == page.perPage()) {
                    break;
                }
            }
            Map<String, ObjectId> heads = heads(git);
            Map<ObjectId, List<String>> tags = tagsByCommit(git);
            Set<ObjectId> offDefault = offDefault(git, start, heads.get(repo.defaultBranch()));
            String namedBranch = resolved.ref() != null && resolved.ref().startsWith(Constants.R_HEADS)
                    ? resolved.ref().substring(Constants.R_HEADS.length()) : null;
            List<Changeset> items = new ArrayList<>(commits.size());
            Map<ObjectId, Long> known = new HashMap<>();
            for (RevCommit c : commits) {
                long count = known.containsKey(c) ? known.get(c) : revCount(git, c);
                if (c.getParentCount() == 1) {
                    // Exact: the only parent's ancestry is this commit's minus the commit itself.
                    known.put(c.getParent(0).copy(), count - 1);
                    revCounts.putIfAbsent(c.getParent(0).name(), count - 1);
                }
                String branch = !offDefault.contains(c) ? "default"
                        : namedBranch != null && !namedBranch.equals(repo.defaultBranch()) ? namedBranch
                        : branchOf(git, c, heads, repo.defaultBranch());
                items.add(changeset(c, count, branch, tags.getOrDefault(c, List.of()), null));
            }
            return PageResponse.of(items, page, total);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Changeset changeset(Repo repo, String rev) {
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit commit = RevResolver.parse(walk, RevResolver.resolve(git, walk, repo, rev));
            String diff = TreeDiff.patch(TreeDiff.between(git,
                    commit.getParentCount() > 0 ? walk.parseCommit(commit.getParent(0)).getTree() : null, commit.getTree()));
            Map<String, ObjectId> heads = heads(git);
            return changeset(commit, revCount(git, commit), branchOf(git, commit, heads, repo.defaultBranch()),
                    tagsByCommit(git).getOrDefault(commit, List.of()), diff);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public PageResponse<BranchView> branches(Repo repo, PageRequest page) {
        Repository git = store.open(repo.id());
        Set<String> protectedBranches = protections.protectedBranches(repo.id()).await().atMost(Duration.ofSeconds(30));
        List<BranchView> all = new ArrayList<>();
        heads(git).forEach((name, id) -> all.add(new BranchView(name, id.name(), name.equals(repo.defaultBranch()),
                protectedBranches.contains(name))));
        return slice(all, page);
    }

    public PageResponse<TagView> tags(Repo repo, PageRequest page) {
        Repository git = store.open(repo.id());
        List<TagView> all = new ArrayList<>();
        try {
            for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                all.add(new TagView(ref.getName().substring(Constants.R_TAGS.length()), peeled(git, ref).name()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.sort(Comparator.comparing(TagView::name));
        return slice(all, page);
    }

    public Comparison compare(Repo repo, String base, String head) {
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit baseCommit = RevResolver.parse(walk, RevResolver.resolve(git, walk, repo, base));
            RevCommit headCommit = RevResolver.parse(walk, RevResolver.resolve(git, walk, repo, head));
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(baseCommit);
            walk.markStart(headCommit);
            RevCommit mergeBase = walk.next();
            walk.reset();
            walk.setRevFilter(RevFilter.ALL);
            walk.sort(RevSort.TOPO);
            walk.markStart(walk.parseCommit(headCommit));
            walk.markUninteresting(walk.parseCommit(baseCommit));
            List<Comparison.Commit> commits = new ArrayList<>();
            for (RevCommit c : walk) {
                commits.add(new Comparison.Commit(c.name(), c.getFullMessage(), person(c.getAuthorIdent())));
            }
            List<TreeDiff.ChangedFile> changed = TreeDiff.between(git,
                    mergeBase == null ? null : walk.parseCommit(mergeBase).getTree(), walk.parseCommit(headCommit).getTree());
            List<Comparison.FileChange> files = changed.stream().map(ContentService::fileChange).toList();
            String diff = TreeDiff.patch(changed);
            return new Comparison(mergeBase == null ? null : mergeBase.name(), baseCommit.name(), headCommit.name(),
                    commits, files, diff);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of commits reachable from {@code commit}, itself included (Isurus' {@code rev}). */
    long revCount(Repository git, RevCommit commit) throws IOException {
        Long cached = revCounts.get(commit.name());
        if (cached != null) {
            return cached;
        }
        long count = 0;
        try (RevWalk walk = new RevWalk(git)) {
            walk.setRetainBody(false);
            walk.markStart(walk.parseCommit(commit));
            while (walk.next() != null) {
                count++;
            }
        }
        revCounts.put(commit.name(), count);
        return count;
    }

    private static Changeset changeset(RevCommit c, long rev, String branch, List<String> tags, String diff) {
        String message = c.getFullMessage();
        return new Changeset(c.name(), c.name().substring(0, 12), rev, person(c.getAuthorIdent()),
                c.getAuthorIdent().getWhenAsInstant(), message, c.getShortMessage(), branch, tags, diff);
    }

    static String person(PersonIdent ident) {
        return ident.getName() + " <" + ident.getEmailAddress() + ">";
    }

    /** Commits reachable from start but not from the default branch (empty when start is on it). */
    private static Set<ObjectId> offDefault(Repository git, RevCommit start, ObjectId defaultHead) throws IOException {
        Set<ObjectId> off = new HashSet<>();
        try (RevWalk walk = new RevWalk(git)) {
            walk.setRetainBody(false);
            walk.markStart(walk.parseCommit(start));
            if (defaultHead != null) {
                walk.markUninteresting(walk.parseCommit(defaultHead));
            }
            for (RevCommit c : walk) {
                off.add(c.copy());
            }
        }
        return off;
    }

    /** "default" when the default branch contains the commit, else the first branch (by name) that does. */
    private static String branchOf(Repository git, RevCommit commit, Map<String, ObjectId> heads, String defaultBranch)
            throws IOException {
        List<String> order = new ArrayList<>();
        if (heads.containsKey(defaultBranch)) {
            order.add(defaultBranch);
        }
        heads.keySet().stream().filter(b -> !b.equals(defaultBranch)).forEach(order::add);
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit target = walk.parseCommit(commit);
            for (String branch : order) {
                if (walk.isMergedInto(target, walk.parseCommit(heads.get(branch)))) {
                    return branch.equals(defaultBranch) ? "default" : branch;
                }
                walk.reset();
            }
        }
        return null;
    }

    private static Map<String, ObjectId> heads(Repository git) {
        Map<String, ObjectId> heads = new TreeMap<>();
        try {
            for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                if (ref.getObjectId() != null) {
                    heads.put(ref.getName().substring(Constants.R_HEADS.length()), ref.getObjectId());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return heads;
    }

    private static Map<ObjectId, List<String>> tagsByCommit(Repository git) throws IOException {
        Map<ObjectId, List<String>> tags = new HashMap<>();
        for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
            tags.computeIfAbsent(peeled(git, ref), k -> new ArrayList<>()).add(ref.getName().substring(Constants.R_TAGS.length()));
        }
        tags.values().forEach(Collections::sort);
        return tags;
    }

    private static ObjectId peeled(Repository git, Ref ref) throws IOException {
        Ref peeled = git.getRefDatabase().peel(ref);
        return peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
    }

    private static <T> PageResponse<T> slice(List<T> all, PageRequest page) {
        int from = (int) Math.min(all.size(), page.offset());
        int to = Math.min(all.size(), from + page.perPage());
        return PageResponse.of(new ArrayList<>(all.subList(from, to)), page, all.size());
    }

    private static Comparison.FileChange fileChange(TreeDiff.ChangedFile file) {
        return new Comparison.FileChange(file.path(), file.change() == DiffEntry.ChangeType.RENAME ? file.oldPath() : null,
                status(file.change()), file.additions(), file.deletions(), file.binary());
    }

    private static String status(DiffEntry.ChangeType type) {
        return switch (type) {
            case ADD, COPY -> "added";
            case DELETE -> "deleted";
            case RENAME -> "renamed";
            case MODIFY -> "modified";
        };
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static NotFoundException missing(String path, String rev) {
        return new NotFoundException("no file or directory '" + path + "' at revision '" + (rev == null ? "tip" : rev) + "'");
    }
}
