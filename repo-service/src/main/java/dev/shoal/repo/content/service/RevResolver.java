package dev.shoal.repo.content.service;

import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.content.ResolvedRev;
import dev.shoal.repo.repo.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Resolves what clients call a revision: {@code tip}/{@code default} (the default branch's head),
 * a branch, a tag, a full ref, or a (possibly abbreviated) commit SHA. Only these forms; git's
 * revision expressions ({@code HEAD~2}, {@code @{...}}) are not interpreted.
 */
public final class RevResolver {

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{4,40}");

    private RevResolver() {
    }

    public static ResolvedRev resolve(Repository git, Repo repo, String rev) {
        try (RevWalk walk = new RevWalk(git)) {
            return resolve(git, walk, repo, rev);
        }
    }

    public static ResolvedRev resolve(Repository git, RevWalk walk, Repo repo, String rev) {
        String wanted = rev == null || rev.isBlank() ? "tip" : rev.trim();
        if (wanted.length() > 255 || wanted.chars().anyMatch(c -> c < 0x20)) {
            throw new ValidationException("rev must be a branch, tag, full ref, commit SHA, 'tip' or 'default'");
        }
        try {
            if (wanted.equals("tip") || wanted.equals("default")) {
                Ref head = git.exactRef(repo.defaultRef());
                if (head == null || head.getObjectId() == null) {
                    throw new NotFoundException("the repository has no commits on its default branch '"
                            + repo.defaultBranch() + "' yet");
                }
                return new ResolvedRev(commit(walk, head.getObjectId(), wanted).name(), head.getName());
            }
            for (String candidate : new String[] {wanted, Constants.R_HEADS + wanted, Constants.R_TAGS + wanted}) {
                if (!candidate.startsWith(Constants.R_REFS) || !Repository.isValidRefName(candidate)) {
                    continue;
                }
                Ref ref = git.exactRef(candidate);
                if (ref != null && ref.getObjectId() != null) {
                    return new ResolvedRev(commit(walk, ref.getObjectId(), wanted).name(), ref.getName());
                }
            }
            if (HEX.matcher(wanted).matches()) {
                try (ObjectReader reader = git.newObjectReader()) {
                    Collection<ObjectId> matches = reader.resolve(AbbreviatedObjectId.fromString(wanted.toLowerCase()));
                    if (matches.size() > 1) {
                        throw new ValidationException("rev '" + wanted + "' is ambiguous: give more hex digits");
                    }
                    if (matches.size() == 1) {
                        return new ResolvedRev(commit(walk, matches.iterator().next(), wanted).name(), null);
                    }
                }
            }
            throw unknown(wanted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RevCommit parse(RevWalk walk, ResolvedRev rev) {
        try {
            return walk.parseCommit(ObjectId.fromString(rev.sha()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RevCommit commit(RevWalk walk, ObjectId id, String wanted) throws IOException {
        try {
            RevObject obj = walk.peel(walk.parseAny(id));
            if (obj instanceof RevCommit commit) {
                return commit;
            }
            throw unknown(wanted);
        } catch (MissingObjectException | IncorrectObjectTypeException e) {
            throw unknown(wanted);
        }
    }

    private static NotFoundException unknown(String rev) {
        return new NotFoundException("unknown revision '" + rev + "': use a branch, tag, commit SHA or 'tip'");
    }
}
