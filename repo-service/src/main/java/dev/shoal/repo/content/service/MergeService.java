package dev.shoal.repo.content.service;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.identity.Caller;
import dev.shoal.repo.content.MergeRequest;
import dev.shoal.repo.content.MergeResult;
import dev.shoal.repo.content.RebaseRequest;
import dev.shoal.repo.protection.service.ProtectionService;
import dev.shoal.repo.git.service.RefMover;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.service.RepoNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Server-side merges for pull requests, done in memory (bare repositories have no work tree):
 * a merge commit, a squash commit, a rebase (each commit replayed onto the target, merges
 * dropped as git rebase does), or a fast-forward. The target moves only when the whole result
 * exists; on a conflict nothing moves and the conflicting paths are reported.
 */
@ApplicationScoped
public class MergeService {

    private static final Set<String> METHODS = Set.of("merge", "squash", "rebase", "fast_forward");

    private final RefMover mover;
    private final ProtectionService protections;

    public MergeService(RefMover mover, ProtectionService protections) {
        this.mover = mover;
        this.protections = protections;
    }

    /**
     * Rebases {@code branch} onto {@code onto}: its commits that {@code onto} lacks are replayed on
     * top of it (authors kept, the caller as committer) and the branch is rewritten to the result,
     * which emits {@code repo.pushed}. A protected branch is never rewritten; a branch already
     * based on {@code onto} is left as it is. Conflicts move nothing and name the paths.
     */
    public MergeResult rebaseBranch(Repo repo, Caller caller, RebaseRequest request) {
        RepoNames.requireValidBranch("branch", request.branch());
        RepoNames.requireValidBranch("onto", request.onto());
        if (protections.protectedBranches(repo.id()).await().atMost(java.time.Duration.ofSeconds(30)).contains(request.branch())) {
            throw new ApiException(409, "protected_branch", "branch '" + request.branch() + "' is protected: it cannot be rewritten by a rebase");
        }
        PersonIdent committer = new PersonIdent(caller.login() == null ? "Shoal" : caller.login(),
                (caller.login() == null ? "shoal" : caller.login()) + "@users.noreply.shoal");
        RepoPushed.Pusher pusher = new RepoPushed.Pusher(caller.userId(), caller.login());
        return mover.locked(repo.id(), git -> {
            try (RevWalk walk = new RevWalk(git); ObjectInserter inserter = git.newObjectInserter()) {
                String branchRef = Constants.R_HEADS + request.branch();
                RevCommit branchHead = source(git, walk, request.branch());
                Ref onto = git.exactRef(Constants.R_HEADS + request.onto());
                if (onto == null || onto.getObjectId() == null) {
                    throw new NotFoundException("branch '" + request.onto() + "' not found");
                }
                RevCommit ontoHead = walk.parseCommit(onto.getObjectId());
                if (walk.isMergedInto(ontoHead, branchHead)) {
                    return new MergeResult(branchHead.name(), "rebase");
                }
                ObjectId result = rebase(git, walk, inserter, ontoHead, branchHead, committer);
                inserter.flush();
                mover.move(repo, git, branchRef, branchHead, result, pusher, true);
                return new MergeResult(result.name(), "rebase");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public MergeResult merge(Repo repo, Caller caller, MergeRequest request) {
        if (!METHODS.contains(request.method())) {
            throw new ValidationException("method must be one of merge, squash, rebase, fast_forward");
        }
        RepoNames.requireValidBranch("target", request.target());
        String name = request.authorName() == null || request.authorName().isBlank()
                ? (caller.login() == null ? "Shoal" : caller.login()) : request.authorName();
        String email = request.authorEmail() == null || request.authorEmail().isBlank()
                ? (caller.login() == null ? "shoal" : caller.login()) + "@users.noreply.shoal" : request.authorEmail();
        PersonIdent ident = new PersonIdent(name, email);
        RepoPushed.Pusher pusher = new RepoPushed.Pusher(caller.userId(), caller.login());
        return mover.locked(repo.id(), git -> {
            try (RevWalk walk = new RevWalk(git); ObjectInserter inserter = git.newObjectInserter()) {
                String targetRef = Constants.R_HEADS + request.target();
                Ref target = git.exactRef(targetRef);
                if (target == null || target.getObjectId() == null) {
                    throw new NotFoundException("target branch '" + request.target() + "' not found");
                }
                RevCommit targetHead = walk.parseCommit(target.getObjectId());
                RevCommit sourceHead = source(git, walk, request.source());
                ObjectId result = switch (request.method()) {
                    case "fast_forward" -> fastForward(walk, targetHead, sourceHead, request);
                    case "merge" -> mergeCommit(git, walk, inserter, targetHead, sourceHead, ident, request, false);
                    case "squash" -> mergeCommit(git, walk, inserter, targetHead, sourceHead, ident, request, true);
                    default -> rebase(git, walk, inserter, targetHead, sourceHead, ident);
                };
                inserter.flush();
                if (!result.equals(targetHead)) {
                    mover.move(repo, git, targetRef, targetHead, result, pusher);
                }
                return new MergeResult(result.name(), request.method());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static RevCommit source(Repository git, RevWalk walk, String source) throws IOException {
        String refName = source.startsWith(Constants.R_REFS) ? source : Constants.R_HEADS + source;
        if (!Repository.isValidRefName(refName)) {
            throw new ValidationException("source must be a branch name or a full ref");
        }
        Ref ref = git.exactRef(refName);
        if (ref == null || ref.getObjectId() == null) {
            throw new NotFoundException("source branch '" + source + "' not found");
        }
        return walk.parseCommit(ref.getObjectId());
    }

    private static ObjectId fastForward(RevWalk walk, RevCommit target, RevCommit source, MergeRequest request)
            throws IOException {
        if (!walk.isMergedInto(target, source)) {
            throw new ApiException(409, "not_fast_forward", "'" + request.target() + "' has commits that '"
                    + request.source() + "' lacks: it cannot be fast-forwarded; use merge, squash or rebase");
        }
        return source;
    }

    private static ObjectId mergeCommit(Repository git, RevWalk walk, ObjectInserter inserter, RevCommit target,
                                        RevCommit source, PersonIdent ident, MergeRequest request, boolean squash)
            throws IOException {
        requireSomethingToMerge(walk, source, target, request);
        TreeMerge.Outcome merged = TreeMerge.merge(git, target, source, null);
        if (!merged.clean()) {
            throw merged.conflict();
        }
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(merged.tree());
        commit.setAuthor(ident);
        commit.setCommitter(ident);
        if (squash) {
            commit.setParentId(target);
            commit.setMessage(request.message() != null && !request.message().isBlank() ? request.message()
                    : squashMessage(walk, target, source, request));
        } else {
            commit.setParentIds(target, source);
            commit.setMessage(request.message() != null && !request.message().isBlank() ? request.message()
                    : "Merge branch '" + request.source() + "' into " + request.target() + "\n");
        }
        return inserter.insert(commit);
    }

    private static ObjectId rebase(Repository git, RevWalk walk, ObjectInserter inserter, RevCommit target,
                                   RevCommit source, PersonIdent committer) throws IOException {
        walk.reset();
        walk.sort(RevSort.TOPO, true);
        walk.sort(RevSort.REVERSE, true);
        walk.markStart(source);
        walk.markUninteresting(target);
        List<RevCommit> replay = new ArrayList<>();
        for (RevCommit c : walk) {
            if (c.getParentCount() == 1) {
                replay.add(c);
            }
        }
        if (replay.isEmpty()) {
            throw new ApiException(409, "nothing_to_merge", "the source has no commits the target lacks");
        }
        ObjectId current = target;
        for (RevCommit c : replay) {
            TreeMerge.Outcome merged = TreeMerge.merge(git, current, c, c.getParent(0));
            if (!merged.clean()) {
                throw merged.conflict();
            }
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(merged.tree());
            commit.setParentId(current);
            commit.setAuthor(c.getAuthorIdent());
            commit.setCommitter(committer);
            commit.setMessage(c.getFullMessage());
            current = inserter.insert(commit);
        }
        return current;
    }

    private static void requireSomethingToMerge(RevWalk walk, RevCommit source, RevCommit target, MergeRequest request)
            throws IOException {
        if (walk.isMergedInto(source, target)) {
            throw new ApiException(409, "nothing_to_merge", "'" + request.target() + "' already contains every commit of '"
                    + request.source() + "'");
        }
        walk.reset();
    }

    private static String squashMessage(RevWalk walk, RevCommit target, RevCommit source, MergeRequest request)
            throws IOException {
        walk.reset();
        walk.markStart(walk.parseCommit(source));
        walk.markUninteresting(walk.parseCommit(target));
        StringBuilder message = new StringBuilder("Squashed commit of branch '" + request.source() + "'\n\n");
        for (RevCommit c : walk) {
            message.append("* ").append(c.getShortMessage()).append('\n');
        }
        walk.reset();
        return message.toString();
    }
}
