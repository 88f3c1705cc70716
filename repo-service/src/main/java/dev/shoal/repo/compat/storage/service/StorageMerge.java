package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.repo.content.service.TreeMerge;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.service.RefMover;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.MergeViews;
import dev.shoal.repo.compat.storage.StorageIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.Sequence;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeFormatter;
import org.eclipse.jgit.merge.MergeResult;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The SDK's {@code merge} and {@code previewMerge}. Both use the server's one tree merge
 * ({@link TreeMerge}, shared with pull-request merges); a merge moves the target through
 * {@link RefMover} (lock, journal, {@code repo.pushed} with the issuer as pusher), a preview moves
 * nothing. Results: {@code no_op} when the target already contains the source, {@code fast_forward}
 * (ff_only, or ff_prefer when possible), {@code merge_commit} (two parents), {@code squash} (one
 * commit on the target with the merged tree).
 */
@ApplicationScoped
public class StorageMerge {

    /** Bytes of one side's content shown in a preview; longer content is cut (at a character boundary) and marked truncated. */
    public static final int CONTENT_CAP = 64 * 1024;
    /** A conflicting file larger than this on any side is listed without content (filtered: too_large). */
    public static final long MAX_CONFLICT_FILE = 1024 * 1024;
    /** Conflicts described in full; the others are named in conflict_paths and filtered (too_many_conflicts). */
    public static final int MAX_CONFLICTS = 100;
    /** Bytes git itself looks at to tell binary from text. */
    private static final int BINARY_PROBE = 8000;
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Set<String> STRATEGIES = Set.of("merge", "ff_only", "ff_prefer");

    private final RefMover mover;
    private final GitStore store;

    public StorageMerge(RefMover mover, GitStore store) {
        this.mover = mover;
        this.store = store;
    }

    public MergeViews.Merged merge(Repo repo, StorageIdentity who, MergeViews.MergeRequest req) {
        if (req == null) {
            throw new ValidationException("a JSON body is required: {\"source_branch\", \"target_branch\", \"strategy\"}");
        }
        String source = branchName("source_branch", req.sourceBranch());
        String target = branchName("target_branch", req.targetBranch());
        if (req.strategy() == null || !STRATEGIES.contains(req.strategy())) {
            throw new ValidationException("strategy is required: one of merge, ff_only, ff_prefer");
        }
        boolean squash = Boolean.TRUE.equals(req.squash());
        if (squash && req.strategy().equals("ff_only")) {
            throw new ValidationException("squash cannot be combined with the ff_only strategy: a squash writes a new commit");
        }
        boolean sourceEph = Boolean.TRUE.equals(req.sourceIsEphemeral());
        boolean targetEph = Boolean.TRUE.equals(req.targetIsEphemeral());
        if (source.equals(target) && sourceEph == targetEph) {
            throw new ValidationException("source_branch and target_branch name the same branch");
        }
        if (req.expectedTargetSha() != null && !SHA.matcher(req.expectedTargetSha()).matches()) {
            throw new ValidationException("expected_target_sha must be a full 40-character commit SHA");
        }
        if (req.commitMessage() != null && req.commitMessage().length() > 65536) {
            throw new ValidationException("commit_message must be at most 65536 characters");
        }
        PersonIdent committerIdent = StorageCommits.ident("committer", req.committer(), false);
        PersonIdent authorIdent = StorageCommits.ident("author", req.author(), false);
        PersonIdent committer = committerIdent != null ? committerIdent
                : authorIdent != null ? authorIdent : new PersonIdent(who.issuer(), "noreply@shoal.local");
        PersonIdent author = authorIdent != null ? authorIdent : committer;
        boolean allowUnrelated = Boolean.TRUE.equals(req.allowUnrelatedHistories());
        String targetRef = StorageReads.branchPrefix(targetEph) + target;
        RepoPushed.Pusher pusher = new RepoPushed.Pusher(null, who.issuer());

        return mover.locked(repo.id(), git -> {
            try (RevWalk walk = new RevWalk(git); ObjectInserter inserter = git.newObjectInserter()) {
                RevCommit targetHead = walk.parseCommit(head(git, target, targetEph, "target"));
                RevCommit sourceHead = walk.parseCommit(head(git, source, sourceEph, "source"));
                if (req.expectedTargetSha() != null && !targetHead.name().equalsIgnoreCase(req.expectedTargetSha())) {
                    throw new ConflictException("target branch '" + target + "' is at " + targetHead.name()
                            + ", not at expected_target_sha " + req.expectedTargetSha() + ": it moved; fetch it and try again");
                }
                RevCommit base = mergeBase(walk, targetHead, sourceHead);
                MergeViews.Source src = new MergeViews.Source(source, sourceEph, sourceHead.name());
                if (walk.isMergedInto(sourceHead, targetHead)) {
                    return new MergeViews.Merged("no_op", targetHead.name(), targetHead.getTree().name(), src,
                            new MergeViews.Target(target, targetEph, targetHead.name(), targetHead.name()),
                            base == null ? null : base.name(), 0);
                }
                boolean canFastForward = walk.isMergedInto(targetHead, sourceHead);
                if (req.strategy().equals("ff_only") && !canFastForward) {
                    throw new ApiException(409, "not_fast_forward", "'" + target + "' has commits that '" + source
                            + "' lacks, so it cannot be fast-forwarded; use the merge or ff_prefer strategy");
                }
                if (base == null && !allowUnrelated) {
                    throw new ApiException(409, "unrelated_histories", "'" + source + "' and '" + target
                            + "' share no commit (unrelated histories); set allow_unrelated_histories to merge them anyway");
                }
                String result;
                ObjectId newHead;
                ObjectId tree;
                if (canFastForward && !squash && !req.strategy().equals("merge")) {
                    result = "fast_forward";
                    newHead = sourceHead;
                    tree = sourceHead.getTree();
                } else {
                    if (canFastForward) {
                        tree = sourceHead.getTree(); // the target has nothing of its own: its merge with the source is the source
                    } else {
                        TreeMerge.Outcome merged = TreeMerge.merge(git, targetHead, sourceHead, null);
                        if (!merged.clean()) {
                            throw merged.conflict();
                        }
                        tree = merged.tree();
                    }
                    CommitBuilder commit = new CommitBuilder();
                    commit.setTreeId(tree);
                    commit.setAuthor(author);
                    commit.setCommitter(committer);
                    String message = req.commitMessage() != null && !req.commitMessage().isBlank() ? req.commitMessage() : null;
                    if (squash) {
                        result = "squash";
                        commit.setParentId(targetHead);
                        commit.setMessage(message != null ? message : "Squash merge branch '" + source + "' into " + target + "\n");
                    } else {
                        result = "merge_commit";
                        commit.setParentIds(targetHead, sourceHead);
                        commit.setMessage(message != null ? message : "Merge branch '" + source + "' into " + target + "\n");
                    }
                    newHead = inserter.insert(commit);
                    inserter.flush();
                }
                mover.move(repo, git, targetRef, targetHead, newHead, pusher);
                return new MergeViews.Merged(result, newHead.name(), tree.name(), src,
                        new MergeViews.Target(target, targetEph, targetHead.name(), newHead.name()),
                        base == null ? null : base.name(), promoted(walk, targetHead, newHead));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * What merging {@code source} into {@code target} would do, moving nothing. Conflicts list their
     * three sides (base = the first merge base, ours = target, theirs = source) with blob ids, and,
     * with {@code include_content}, up to {@link #CONTENT_CAP} bytes of each text side plus the merged
     * result with conflict markers. Binary sides and files over {@link #MAX_CONFLICT_FILE} are
     * described without content and named in {@code filtered_conflicts}. Unrelated histories preview
     * as {@code allow_unrelated_histories} would merge them (against the empty tree).
     */
    public MergeViews.Preview preview(Repo repo, String sourceBranch, String targetBranch, String includeContent,
                                      String sourceEphemeral, String targetEphemeral) {
        String source = branchName("source_branch", sourceBranch);
        String target = branchName("target_branch", targetBranch);
        boolean content = StorageReads.bool("include_content", includeContent);
        boolean sourceEph = StorageReads.bool("source_is_ephemeral", sourceEphemeral);
        boolean targetEph = StorageReads.bool("target_is_ephemeral", targetEphemeral);
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit targetHead = walk.parseCommit(head(git, target, targetEph, "target"));
            RevCommit sourceHead = walk.parseCommit(head(git, source, sourceEph, "source"));
            RevCommit base = mergeBase(walk, targetHead, sourceHead);
            String baseSha = base == null ? null : base.name();
            if (walk.isMergedInto(sourceHead, targetHead)) {
                return preview("clean", "no_op", source, target, sourceHead, targetHead, baseSha, List.of(), List.of(), List.of());
            }
            if (walk.isMergedInto(targetHead, sourceHead)) {
                return preview("clean", "fast_forward", source, target, sourceHead, targetHead, baseSha, List.of(), List.of(), List.of());
            }
            TreeMerge.Outcome merged = TreeMerge.merge(git, targetHead, sourceHead, null);
            if (merged.clean()) {
                return preview("clean", "merge_commit", source, target, sourceHead, targetHead, baseSha, List.of(), List.of(), List.of());
            }
            List<MergeViews.Conflict> conflicts = new ArrayList<>();
            List<MergeViews.FilteredConflict> filtered = new ArrayList<>();
            for (String path : merged.conflicts()) {
                if (conflicts.size() == MAX_CONFLICTS) {
                    filtered.add(new MergeViews.FilteredConflict(path, "too_many_conflicts"));
                    continue;
                }
                conflicts.add(conflict(git, path, base, targetHead, sourceHead, merged, content, target, source, filtered));
            }
            return preview("conflicted", "merge_commit", source, target, sourceHead, targetHead, baseSha, merged.conflicts(),
                    conflicts, filtered);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MergeViews.Preview preview(String status, String result, String source, String target, RevCommit sourceHead,
                                              RevCommit targetHead, String base, List<String> paths,
                                              List<MergeViews.Conflict> conflicts, List<MergeViews.FilteredConflict> filtered) {
        return new MergeViews.Preview(status, result, source, target, sourceHead.name(), targetHead.name(), base, paths,
                conflicts, filtered);
    }

    private record Side(ObjectId oid, FileMode mode, long size, byte[] head, boolean binary) {
        static final Side NONE = new Side(null, FileMode.MISSING, 0, new byte[0], false);

        boolean file() {
            return oid != null && (mode.getObjectType() == Constants.OBJ_BLOB);
        }
    }

    private static MergeViews.Conflict conflict(Repository git, String path, RevCommit base, RevCommit ours, RevCommit theirs,
                                                TreeMerge.Outcome merged, boolean withContent, String oursName, String theirsName,
                                                List<MergeViews.FilteredConflict> filtered) throws IOException {
        Side baseSide = base == null ? Side.NONE : side(git, path, base);
        Side oursSide = side(git, path, ours);
        Side theirsSide = side(git, path, theirs);
        List<Side> sides = List.of(baseSide, oursSide, theirsSide);
        boolean binary = sides.stream().anyMatch(Side::binary);
        boolean tooLarge = sides.stream().anyMatch(s -> s.size() > MAX_CONFLICT_FILE);
        boolean notFile = sides.stream().anyMatch(s -> s.oid() != null && !s.file());
        String reason = binary ? "binary" : tooLarge ? "too_large" : notFile ? "not_a_file" : null;
        if (reason != null) {
            filtered.add(new MergeViews.FilteredConflict(path, reason));
        }
        boolean show = withContent && reason == null;
        MergeViews.Blob result = new MergeViews.Blob(null, null, false, binary);
        MergeResult<? extends Sequence> text = merged.results().get(path);
        if (show && text != null && !text.getSequences().isEmpty()
                && text.getSequences().stream().allMatch(RawText.class::isInstance)) {
            @SuppressWarnings("unchecked")
            MergeResult<RawText> raw = (MergeResult<RawText>) text;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new MergeFormatter().formatMerge(out, raw, "merge base", oursName, theirsName, StandardCharsets.UTF_8);
            byte[] bytes = out.toByteArray();
            result = new MergeViews.Blob(null, cut(bytes), bytes.length > CONTENT_CAP, false);
        }
        return new MergeViews.Conflict(path, result, blob(git, baseSide, show), blob(git, oursSide, show),
                blob(git, theirsSide, show));
    }

    private static Side side(Repository git, String path, RevCommit commit) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(git, path, commit.getTree())) {
            if (walk == null) {
                return Side.NONE;
            }
            ObjectId id = walk.getObjectId(0);
            FileMode mode = walk.getFileMode(0);
            if (mode.getObjectType() != Constants.OBJ_BLOB) {
                return new Side(id, mode, 0, new byte[0], false);
            }
            ObjectLoader loader = git.open(id, Constants.OBJ_BLOB);
            byte[] head;
            try (InputStream in = loader.openStream()) {
                head = in.readNBytes(BINARY_PROBE);
            }
            return new Side(id, mode, loader.getSize(), head, RawText.isBinary(head, head.length, head.length == loader.getSize()));
        }
    }

    private static MergeViews.Blob blob(Repository git, Side side, boolean withContent) throws IOException {
        String oid = side.oid() == null ? null : side.oid().name();
        if (!withContent || !side.file()) {
            return new MergeViews.Blob(oid, null, false, side.binary());
        }
        byte[] bytes;
        try (InputStream in = git.open(side.oid(), Constants.OBJ_BLOB).openStream()) {
            bytes = in.readNBytes(CONTENT_CAP + 1);
        }
        return new MergeViews.Blob(oid, cut(bytes), bytes.length > CONTENT_CAP, false);
    }

    /** At most {@link #CONTENT_CAP} bytes as UTF-8, never ending inside a multi-byte character. */
    static String cut(byte[] bytes) {
        if (bytes.length <= CONTENT_CAP) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        int end = CONTENT_CAP;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // bytes[end] continues a character that started before the cut: cut before that character
        }
        return new String(Arrays.copyOf(bytes, end), StandardCharsets.UTF_8);
    }

    /** Commits newly reachable from the target: in {@code newHead}'s history, not in {@code oldHead}'s. */
    private static int promoted(RevWalk walk, RevCommit oldHead, ObjectId newHead) throws IOException {
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        walk.markStart(walk.parseCommit(newHead));
        walk.markUninteresting(oldHead);
        int count = 0;
        for (RevCommit ignored : walk) {
            count++;
        }
        walk.reset();
        return count;
    }

    private static RevCommit mergeBase(RevWalk walk, RevCommit a, RevCommit b) throws IOException {
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(a);
        walk.markStart(b);
        RevCommit base = walk.next();
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        return base;
    }

    private static ObjectId head(Repository git, String branch, boolean ephemeral, String which) throws IOException {
        Ref ref = git.exactRef(StorageReads.branchPrefix(ephemeral) + branch);
        if (ref == null || ref.getObjectId() == null) {
            throw new NotFoundException(which + " branch '" + branch + "' not found" + (ephemeral ? " among the ephemeral branches" : ""));
        }
        return ref.getObjectId();
    }

    /** A branch to merge from or into: {@code main} or {@code refs/heads/main}, answered as {@code main}. */
    static String branchName(String field, String name) {
        return RefSpelling.branch(field, name);
    }
}
