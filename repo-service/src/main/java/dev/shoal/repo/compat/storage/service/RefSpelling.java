package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.content.service.RevResolver;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.service.RepoNames;
import java.io.IOException;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The one place the Code Storage API reads a ref a client spelled, so every operation accepts what
 * git accepts (issue 21): a branch as {@code main} or {@code refs/heads/main}; a revision also as
 * {@code refs/tags/v1} or a full commit SHA. Git's rev expressions ({@code main~1}, {@code HEAD^},
 * {@code @{...}}) are refused with 400: a client that sends one expects a different commit than the
 * name would give, so answering "not found" or guessing would both mislead.
 */
public final class RefSpelling {

    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");
    /** What only a rev expression or a range contains; never part of a ref name git would create. */
    private static final Pattern EXPRESSION = Pattern.compile("[~^:]|@\\{|\\.\\.");

    private RefSpelling() {
    }

    /**
     * A branch to write or to read as a branch: {@code main} or {@code refs/heads/main}, answered as
     * {@code main}. Any other namespace ({@code refs/tags/…}, {@code refs/notes/…}) is a 400.
     */
    public static String branch(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field + " is required: a branch name such as 'main' or 'refs/heads/main'");
        }
        String name = value.startsWith(Constants.R_HEADS) ? value.substring(Constants.R_HEADS.length()) : value;
        if (name.startsWith(Constants.R_REFS)) {
            throw new ValidationException(field + " must name a branch ('main' or 'refs/heads/main'), not '" + value
                    + "': only refs/heads/ holds branches");
        }
        return RepoNames.requireValidBranch(field, name);
    }

    /** The head of a branch (in the ephemeral namespace when {@code ephemeral}); 404 when it does not exist. */
    public static ObjectId branchHead(Repository git, String field, String value, boolean ephemeral) throws IOException {
        String name = branch(field, value);
        Ref ref = git.exactRef(StorageReads.branchPrefix(ephemeral) + name);
        if (ref == null || ref.getObjectId() == null) {
            throw new NotFoundException("branch '" + name + "' not found" + (ephemeral ? " among the ephemeral branches" : ""));
        }
        return ref.getObjectId();
    }

    /**
     * A commit named by a full SHA, a short branch or tag name (branches first, as git does), or a
     * full {@code refs/heads/…} / {@code refs/tags/…} name. Tags are peeled to their commit.
     */
    public static ObjectId revision(Repository git, String field, String rev) throws IOException {
        if (rev == null || rev.isBlank()) {
            throw new ValidationException(field + " is required: a branch, tag or commit SHA");
        }
        refuseExpression(field, rev);
        ObjectId id = null;
        if (SHA.matcher(rev).matches()) {
            id = git.getObjectDatabase().has(ObjectId.fromString(rev)) ? ObjectId.fromString(rev) : null;
        } else {
            String[] candidates = rev.startsWith(Constants.R_HEADS) || rev.startsWith(Constants.R_TAGS) ? new String[] {rev}
                    : rev.startsWith(Constants.R_REFS) ? new String[0]
                    : new String[] {Constants.R_HEADS + rev, Constants.R_TAGS + rev};
            if (candidates.length == 0) {
                throw new ValidationException(field + " must be a branch, tag or full commit SHA ('main', 'refs/heads/main', "
                        + "'refs/tags/v1'), not '" + rev + "'");
            }
            for (String candidate : candidates) {
                if (!Repository.isValidRefName(candidate)) {
                    throw new ValidationException(field + " must be a branch, tag or full commit SHA");
                }
                Ref ref = git.exactRef(candidate);
                if (ref != null && ref.getObjectId() != null) {
                    id = ref.getObjectId();
                    break;
                }
            }
        }
        if (id == null) {
            throw new NotFoundException(field + " '" + rev + "' not found");
        }
        try (RevWalk walk = new RevWalk(git)) {
            return walk.parseCommit(id).getId();
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw new ApiException(400, "validation_failed", field + " '" + rev + "' does not name a commit");
        }
    }

    /**
     * The commit a read endpoint's {@code ref} names: the default branch's head when absent; an
     * ephemeral branch (short or {@code refs/heads/} spelling) when {@code ephemeral}; otherwise
     * any revision the content API resolves (branch, tag, full ref, SHA), rev expressions refused.
     */
    public static RevCommit read(Repository git, RevWalk walk, Repo repo, String field, String ref, boolean ephemeral)
            throws IOException {
        boolean absent = ref == null || ref.isBlank();
        if (ephemeral) {
            return walk.parseCommit(branchHead(git, field, absent ? repo.defaultBranch() : ref.trim(), true));
        }
        if (!absent) {
            refuseExpression(field, ref.trim());
        }
        return RevResolver.parse(walk, RevResolver.resolve(git, walk, repo, absent ? "tip" : ref.trim()));
    }

    private static void refuseExpression(String field, String rev) {
        if (EXPRESSION.matcher(rev).find()) {
            throw new ValidationException(field + " must be a branch, tag or full commit SHA ('main', 'refs/heads/main', "
                    + "'refs/tags/v1'); rev expressions such as '" + rev + "' are not accepted");
        }
    }
}
