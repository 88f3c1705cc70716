package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.git.service.RefMover;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.StorageViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The SDK's ref calls beyond the seed: create/delete branch, list/create/delete tag, one commit.
 * Every ref change goes through {@link RefMover} (lock, journal, {@code repo.pushed}; new tags also
 * {@code tag.created}) with the issuer as pusher, like commit-pack.
 */
@ApplicationScoped
public class StorageRefs {

    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");

    private final RefMover mover;
    private final GitStore store;

    public StorageRefs(RefMover mover, GitStore store) {
        this.mover = mover;
        this.store = store;
    }

    public StorageViews.BranchCreated createBranch(Repo repo, StorageIdentity who, StorageViews.CreateBranchRequest req) {
        if (req == null) {
            throw new ValidationException("a JSON body is required: {\"target_branch\", \"base_branch\" or \"base_ref\"}");
        }
        String target = RefSpelling.branch("target_branch", req.targetBranch());
        boolean targetEph = Boolean.TRUE.equals(req.targetIsEphemeral());
        boolean baseEph = Boolean.TRUE.equals(req.baseIsEphemeral());
        if ((req.baseRef() == null) == (req.baseBranch() == null)) {
            throw new ValidationException("name exactly one of base_branch (a branch) or base_ref (a branch, tag or commit SHA)");
        }
        String baseBranch = req.baseBranch() == null ? null : RefSpelling.branch("base_branch", req.baseBranch());
        String targetRef = StorageReads.branchPrefix(targetEph) + target;
        return mover.locked(repo.id(), git -> {
            try {
                ObjectId base = baseBranch != null ? RefSpelling.branchHead(git, "base_branch", baseBranch, baseEph)
                        : RefSpelling.revision(git, "base_ref", req.baseRef());
                if (git.exactRef(targetRef) != null) {
                    throw new ConflictException("branch '" + target + "' already exists");
                }
                mover.move(repo, git, targetRef, null, base, pusher(who));
                return new StorageViews.BranchCreated("branch created", target, targetEph, base.name());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public StorageViews.BranchDeleted deleteBranch(Repo repo, StorageIdentity who, StorageViews.DeleteBranchRequest req) {
        if (req == null) {
            throw new ValidationException("a JSON body is required: {\"name\"[, \"ephemeral\"]}");
        }
        String name = RefSpelling.branch("name", req.name());
        boolean eph = Boolean.TRUE.equals(req.ephemeral());
        if (!eph && name.equals(repo.defaultBranch())) {
            throw new ConflictException("'" + name + "' is the repository's default branch and cannot be deleted");
        }
        String ref = StorageReads.branchPrefix(eph) + name;
        return mover.locked(repo.id(), git -> {
            try {
                Ref existing = git.exactRef(ref);
                if (existing == null) {
                    throw new NotFoundException("branch '" + name + "' not found");
                }
                mover.remove(repo, git, ref, existing.getObjectId(), pusher(who));
                return new StorageViews.BranchDeleted(name, "branch deleted", eph);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Tags by name; the cursor ({@code t_…}) names the page's last tag. */
    public StorageViews.Tags tags(Repo repo, String cursor, String rawLimit) {
        int limit = StorageReads.limit(rawLimit);
        String after = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(cursor.startsWith("t_") ? cursor.substring(2) : "!"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("cursor is not one this service returned");
            }
        }
        Repository git = store.open(repo.id());
        try {
            List<Ref> refs = new ArrayList<>(git.getRefDatabase().getRefsByPrefix(Constants.R_TAGS));
            refs.sort(Comparator.comparing(Ref::getName));
            List<StorageViews.Tag> page = new ArrayList<>();
            boolean more = false;
            for (Ref ref : refs) {
                String name = ref.getName().substring(Constants.R_TAGS.length());
                if (after != null && name.compareTo(after) <= 0) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                Ref peeled = git.getRefDatabase().peel(ref);
                ObjectId sha = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
                page.add(new StorageViews.Tag(cursor(name), name, sha.name()));
            }
            return new StorageViews.Tags(page, more ? page.get(page.size() - 1).cursor() : null, more);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A lightweight tag on {@code target} (a branch, tag or commit SHA). */
    public StorageViews.TagCreated createTag(Repo repo, StorageIdentity who, StorageViews.CreateTagRequest req) {
        if (req == null) {
            throw new ValidationException("a JSON body is required: {\"name\", \"target\"}");
        }
        String name = tagName(req.name());
        if (req.target() == null || req.target().isBlank()) {
            throw new ValidationException("target is required: a branch, tag or commit SHA");
        }
        return mover.locked(repo.id(), git -> {
            try {
                ObjectId target = RefSpelling.revision(git, "target", req.target());
                if (git.exactRef(Constants.R_TAGS + name) != null) {
                    throw new ConflictException("tag '" + name + "' already exists");
                }
                mover.move(repo, git, Constants.R_TAGS + name, null, target, pusher(who));
                return new StorageViews.TagCreated(name, target.name(), "tag created");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public StorageViews.TagDeleted deleteTag(Repo repo, StorageIdentity who, StorageViews.DeleteTagRequest req) {
        if (req == null) {
            throw new ValidationException("a JSON body is required: {\"name\"}");
        }
        String name = tagName(req.name());
        return mover.locked(repo.id(), git -> {
            try {
                Ref existing = git.exactRef(Constants.R_TAGS + name);
                if (existing == null) {
                    throw new NotFoundException("tag '" + name + "' not found");
                }
                mover.remove(repo, git, existing.getName(), existing.getObjectId(), pusher(who));
                return new StorageViews.TagDeleted(name, "tag deleted");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public StorageViews.SingleCommit commit(Repo repo, String sha) {
        if (sha == null || !SHA.matcher(sha).matches()) {
            throw new ValidationException("sha is required: a full 40-character commit SHA");
        }
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            ObjectId id = ObjectId.fromString(sha);
            if (!git.getObjectDatabase().has(id)) {
                throw new NotFoundException("commit " + sha + " not found");
            }
            RevCommit c;
            try {
                c = walk.parseCommit(id);
            } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
                throw new NotFoundException(sha + " is not a commit");
            }
            return new StorageViews.SingleCommit(new StorageViews.Commit(c.name(), Arrays.stream(c.getParents()).map(RevCommit::name).toList(),
                    c.getFullMessage(), c.getAuthorIdent().getName(), c.getAuthorIdent().getEmailAddress(),
                    c.getCommitterIdent().getName(), c.getCommitterIdent().getEmailAddress(), c.getAuthorIdent().getWhenAsInstant()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tagName(String name) {
        if (name == null || name.isEmpty() || name.length() > 200 || name.startsWith("refs/")
                || !Repository.isValidRefName(Constants.R_TAGS + name)) {
            throw new ValidationException("name must be a valid git tag name without refs/ (no spaces, '..', '~', '^', ':')");
        }
        return name;
    }

    private static String cursor(String name) {
        return "t_" + Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static RepoPushed.Pusher pusher(StorageIdentity who) {
        return new RepoPushed.Pusher(null, who.issuer());
    }
}
