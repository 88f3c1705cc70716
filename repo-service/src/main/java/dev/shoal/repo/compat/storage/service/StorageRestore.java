package dev.shoal.repo.compat.storage.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.CommitAck;
import dev.shoal.repo.compat.storage.CommitMetadata;
import dev.shoal.repo.compat.storage.MergeViews;
import dev.shoal.repo.compat.storage.StorageIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The SDK's {@code restoreCommit}: ONE new commit on {@code target_branch} whose tree is
 * {@code target_commit_sha}'s tree and whose parent is the branch's current head — the branch's
 * content goes back to how it was at that commit, its history is kept. The commit must be reachable
 * from one of the repository's refs (branches, tags, ephemeral branches): an object that merely
 * still exists (a deleted branch's commit before GC) would restore or not depending on GC timing.
 * Written like commit-pack ({@link StorageCommits}: lock, {@code expected_head_sha}, {@code RefMover},
 * {@code repo.pushed}); no objects travel, so {@code pack_bytes} is 0.
 * Failures answer the same shape with {@code result.success = false} and a status word
 * ({@code invalid} 400, {@code not_found} 404, {@code conflict} 409), which the SDK turns into a
 * {@code RefUpdateError}.
 */
@ApplicationScoped
public class StorageRestore {

    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");

    private final ObjectMapper mapper;
    private final StorageCommits commits;
    private final GitStore store;

    public StorageRestore(ObjectMapper mapper, StorageCommits commits, GitStore store) {
        this.mapper = mapper;
        this.commits = commits;
        this.store = store;
    }

    /** The HTTP status and body: 201 with the ack, or 400/404/409 with {@code result.success = false}. */
    public record Answer(int status, MergeViews.RestoreAck body) {
    }

    public Answer restore(Repo repo, StorageIdentity who, String body) {
        String branch = null;
        try {
            MergeViews.RestoreMetadata meta = parse(body);
            branch = meta.targetBranch();
            return new Answer(201, restore(repo, who, meta));
        } catch (ApiException e) {
            if (e.status() != 400 && e.status() != 404 && e.status() != 409) {
                throw e;
            }
            return new Answer(e.status(), failure(repo, branch, e));
        }
    }

    private MergeViews.RestoreAck restore(Repo repo, StorageIdentity who, MergeViews.RestoreMetadata meta) {
        String branch = StorageMerge.branchName("metadata.target_branch", meta.targetBranch());
        String sha = meta.targetCommitSha();
        if (sha == null || !SHA.matcher(sha.trim()).matches()) {
            throw new ValidationException("metadata.target_commit_sha is required: the full 40-character SHA of the commit to restore");
        }
        ObjectId target = ObjectId.fromString(sha.trim());
        String message = meta.commitMessage() != null && !meta.commitMessage().isBlank() ? meta.commitMessage()
                : "Restore " + branch + " to " + target.name() + "\n";
        CommitMetadata commit = new CommitMetadata(branch, meta.expectedHeadSha(), null, message, meta.author(), meta.committer(),
                java.util.List.of(), null, null);
        StorageCommits.validate(commit, false);
        CommitAck ack = commits.commit(repo, who, commit, 0, 0, (git, reader, inserter, parent) -> {
            if (parent == null) {
                throw new NotFoundException("branch '" + branch + "' not found");
            }
            return reachableCommit(git, target).getTree();
        });
        return new MergeViews.RestoreAck(new MergeViews.RestoreCommit(ack.commit().commitSha(), ack.commit().treeSha(), branch, 0),
                new MergeViews.RestoreResult(branch, ack.result().oldSha(), ack.result().newSha(), true, "ok", null));
    }

    private MergeViews.RestoreMetadata parse(String body) {
        if (body == null || body.isBlank()) {
            throw new ValidationException("a JSON body is required: {\"metadata\": {\"target_branch\", \"target_commit_sha\", \"author\"}}");
        }
        MergeViews.RestoreRequest request;
        try {
            request = mapper.readValue(body, MergeViews.RestoreRequest.class);
        } catch (JsonProcessingException e) {
            throw new ValidationException(describe(e) + "; the body must be {\"metadata\": {\"target_branch\", "
                    + "\"target_commit_sha\", \"author\": {\"name\", \"email\"}[, \"commit_message\", \"expected_head_sha\", \"committer\"]}}");
        }
        if (request == null || request.metadata() == null) {
            throw new ValidationException("metadata is required: {\"target_branch\", \"target_commit_sha\", \"author\": {\"name\", \"email\"}}");
        }
        return request.metadata();
    }

    /** Jackson's failure as a sentence naming the field (never the Java class behind it). */
    private static String describe(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(java.util.stream.Collectors.joining("."));
            return e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException
                    ? "unknown field '" + path + "'" : path + " has the wrong type";
        }
        return e instanceof com.fasterxml.jackson.databind.JsonMappingException ? "the body must be a JSON object"
                : "malformed JSON" + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr());
    }

    /** The commit, if some ref of the repository reaches it (checked under the lock, against the refs as they are). */
    private static RevCommit reachableCommit(Repository git, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit commit;
            try {
                commit = walk.parseCommit(id);
            } catch (MissingObjectException e) {
                throw new NotFoundException("commit " + id.name() + " not found in this repository");
            } catch (IncorrectObjectTypeException e) {
                throw new ValidationException("target_commit_sha " + id.name() + " is not a commit");
            }
            // one walk from every tip, newest commits first: a restore target is usually recent, so this stops early
            for (Ref ref : git.getRefDatabase().getRefs()) {
                if (ref.getObjectId() == null) {
                    continue;
                }
                try {
                    walk.markStart(walk.parseCommit(ref.getObjectId())); // parseCommit peels annotated tags
                } catch (IncorrectObjectTypeException e) {
                    // a tag of a tree or blob reaches no commit
                }
            }
            for (RevCommit c : walk) {
                if (c.equals(commit)) {
                    return commit;
                }
            }
            throw new NotFoundException("commit " + id.name() + " is not reachable from any branch or tag of this repository");
        }
    }

    /** The failure body; the branch's head (read now, outside the lock) fills old/new sha when it exists. */
    private MergeViews.RestoreAck failure(Repo repo, String branch, ApiException e) {
        String status = switch (e.status()) {
            case 404 -> "not_found";
            case 409 -> "conflict";
            default -> "invalid";
        };
        String head = null;
        // a refused name is not echoed back as if it were a branch; refs/heads/main is answered as main
        String name;
        try {
            name = RefSpelling.branch("metadata.target_branch", branch);
        } catch (ApiException refused) {
            name = null;
        }
        boolean valid = name != null;
        branch = name;
        if (valid) {
            try {
                Ref ref = store.open(repo.id()).exactRef(Constants.R_HEADS + branch);
                head = ref == null || ref.getObjectId() == null ? null : ref.getObjectId().name();
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
        }
        return new MergeViews.RestoreAck(null, new MergeViews.RestoreResult(valid ? branch : null, head, head, false, status,
                e.getMessage()));
    }
}
