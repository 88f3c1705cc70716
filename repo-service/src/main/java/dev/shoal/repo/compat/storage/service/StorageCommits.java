package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.repo.git.service.RefMover;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.CommitAck;
import dev.shoal.repo.compat.storage.CommitMetadata;
import dev.shoal.repo.compat.storage.StorageIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The part commit-pack and diff-commit share: check the metadata, then, under the repository's
 * lock, find the branch's parent (target head, base branch, or nothing in an empty repository),
 * check {@code expected_head_sha}, build the tree, write the commit and move the ref through
 * {@link RefMover} (journaled, {@code repo.pushed} emitted) — the same path as merges.
 */
@ApplicationScoped
public class StorageCommits {

    public static final String ZERO = ObjectId.zeroId().name();
    static final String EPHEMERAL = "refs/namespaces/ephemeral/refs/heads/";
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{4,40}");

    private final RefMover mover;

    public StorageCommits(RefMover mover) {
        this.mover = mover;
    }

    /** Builds the new tree from the parent commit (null for the first commit of a repository). */
    @FunctionalInterface
    public interface TreeBuilder {
        ObjectId build(Repository git, ObjectReader reader, ObjectInserter inserter, RevCommit parent) throws IOException;
    }

    /** A patch or file set that cannot be applied: answered as {@code result.success = false}. */
    public static final class NotApplied extends RuntimeException {
        final String status;

        public NotApplied(String status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The metadata's checks that need no repository: fail before the body is consumed further. */
    public static void validate(CommitMetadata meta, boolean needsFiles) {
        if (meta == null) {
            throw new ValidationException("the first line must be {\"metadata\": {...}}");
        }
        RefSpelling.branch("metadata.target_branch", meta.targetBranch());
        if (meta.baseBranch() != null) {
            RefSpelling.branch("metadata.base_branch", meta.baseBranch());
        }
        if (meta.commitMessage() == null || meta.commitMessage().isBlank()) {
            throw new ValidationException("metadata.commit_message is required");
        }
        ident("metadata.author", meta.author(), true);
        ident("metadata.committer", meta.committer(), false);
        if (meta.expectedHeadSha() != null && !HEX.matcher(meta.expectedHeadSha()).matches()) {
            throw new ValidationException("metadata.expected_head_sha must be a commit SHA (hex)");
        }
        if (needsFiles && meta.files() == null) {
            throw new ValidationException("metadata.files is required: an array of {path, operation, content_id, mode}");
        }
    }

    public CommitAck commit(Repo repo, StorageIdentity who, CommitMetadata meta, long packBytes, int blobCount,
                            TreeBuilder builder) {
        // refs/heads/main and main name the same branch; the answer always says main
        String branch = RefSpelling.branch("metadata.target_branch", meta.targetBranch());
        String targetRef = (Boolean.TRUE.equals(meta.ephemeral()) ? EPHEMERAL : Constants.R_HEADS) + branch;
        PersonIdent author = ident("metadata.author", meta.author(), true);
        PersonIdent committer = meta.committer() == null ? author : ident("metadata.committer", meta.committer(), false);
        RepoPushed.Pusher pusher = new RepoPushed.Pusher(null, who.issuer());
        return mover.locked(repo.id(), git -> {
            ObjectId old = null;
            try (RevWalk walk = new RevWalk(git); ObjectInserter inserter = git.newObjectInserter()) {
                Ref target = git.exactRef(targetRef);
                old = target == null ? null : target.getObjectId();
                ObjectId parent = old;
                if (parent == null && meta.baseBranch() != null) {
                    String baseBranch = RefSpelling.branch("metadata.base_branch", meta.baseBranch());
                    Ref base = git.exactRef(StorageReads.branchPrefix(Boolean.TRUE.equals(meta.ephemeralBase())) + baseBranch);
                    if (base == null) {
                        throw new NotFoundException("base branch '" + baseBranch + "' not found");
                    }
                    parent = base.getObjectId();
                } else if (parent == null && !git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS).isEmpty()) {
                    throw new NotFoundException("branch '" + branch + "' not found; name a base_branch to create it from");
                }
                if (meta.expectedHeadSha() != null && (parent == null || !parent.name().equalsIgnoreCase(meta.expectedHeadSha()))) {
                    throw new ConflictException("expected_head_sha " + meta.expectedHeadSha() + " does not match the branch head "
                            + (parent == null ? "(none: the branch does not exist)" : parent.name()));
                }
                RevCommit parentCommit = parent == null ? null : walk.parseCommit(parent);
                ObjectId tree = builder.build(git, walk.getObjectReader(), inserter, parentCommit);
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(tree);
                if (parentCommit != null) {
                    commit.setParentId(parentCommit);
                }
                commit.setAuthor(author);
                commit.setCommitter(committer);
                commit.setMessage(meta.commitMessage());
                ObjectId id = inserter.insert(commit);
                inserter.flush();
                mover.move(repo, git, targetRef, old, id, pusher);
                return new CommitAck(new CommitAck.Commit(id.name(), tree.name(), branch, packBytes, blobCount),
                        new CommitAck.Result(branch, old == null ? ZERO : old.name(), id.name(), true, "ok", ""));
            } catch (NotApplied e) {
                String sha = old == null ? ZERO : old.name();
                return new CommitAck(null, new CommitAck.Result(branch, sha, sha, false, e.status, e.getMessage()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static PersonIdent ident(String field, CommitMetadata.Signature sig, boolean required) {
        if (sig == null) {
            if (required) {
                throw new ValidationException(field + " is required: {\"name\", \"email\"[, \"date\"]}");
            }
            return null;
        }
        if (sig.name() == null || sig.name().isBlank() || sig.email() == null || sig.email().isBlank()) {
            throw new ValidationException(field + " needs a name and an email");
        }
        if (sig.name().indexOf('\n') >= 0 || sig.email().indexOf('\n') >= 0 || sig.email().contains(">")) {
            throw new ValidationException(field + " name and email must be one line, without '<' or '>'");
        }
        if (sig.date() == null || sig.date().isBlank()) {
            return new PersonIdent(sig.name(), sig.email(), Instant.now(), ZoneOffset.UTC);
        }
        try {
            OffsetDateTime at = OffsetDateTime.parse(sig.date());
            return new PersonIdent(sig.name(), sig.email(), at.toInstant(), ZoneId.from(at.getOffset()));
        } catch (DateTimeParseException e) {
            throw new ValidationException(field + ".date must be an ISO 8601 timestamp such as 2024-01-15T10:30:00Z");
        }
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "validation_failed", message);
    }
}
