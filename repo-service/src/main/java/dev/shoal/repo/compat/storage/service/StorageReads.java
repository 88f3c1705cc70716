package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.StorageViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/** The Code Storage read endpoints over repo-service's git store. Blocking: call on a worker. */
@ApplicationScoped
public class StorageReads {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final GitStore store;

    public StorageReads(GitStore store) {
        this.store = store;
    }

    public StorageViews.Files files(Repo repo, String ref, String ephemeral) {
        boolean eph = bool("ephemeral", ephemeral);
        String rev = ref == null || ref.isEmpty() ? "tip" : ref;
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git); TreeWalk tree = new TreeWalk(git)) {
            // ephemeral: the ref is an ephemeral branch (the namespace has no tags or default branch)
            RevCommit commit = RefSpelling.read(git, walk, repo, "ref", ref, eph);
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            List<String> paths = new ArrayList<>();
            while (tree.next()) {
                paths.add(tree.getPathString());
            }
            return new StorageViews.Files(paths, ref == null || ref.isEmpty() ? repo.defaultBranch() : ref);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Branches in creation order: {@code created} maps full ref names to when the ref journal first
     * saw them created (every write goes through it); refs it never saw (none, normally) fall back
     * to their head commit's time. Ties are broken by name, and the cursor names the last branch.
     */
    public StorageViews.Branches branches(Repo repo, Map<String, Instant> created, String cursor, String rawLimit,
                                          boolean ephemeral) {
        String prefix = branchPrefix(ephemeral);
        int limit = limit(rawLimit);
        String after = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(cursor.startsWith("b_") ? cursor.substring(2) : "!"),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("cursor is not one this service returned");
            }
        }
        try {
            Repository git = store.open(repo.id());
            List<StorageViews.Branch> all = new ArrayList<>();
            try (RevWalk walk = new RevWalk(git)) {
                for (Ref ref : git.getRefDatabase().getRefsByPrefix(prefix)) {
                    String name = ref.getName().substring(prefix.length());
                    Instant at = created.get(ref.getName());
                    if (at == null) {
                        at = walk.parseCommit(ref.getObjectId()).getCommitterIdent().getWhenAsInstant();
                    }
                    all.add(new StorageViews.Branch(branchCursor(name), name, ref.getObjectId().name(), at));
                }
            }
            all.sort(java.util.Comparator.comparing(StorageViews.Branch::createdAt).thenComparing(StorageViews.Branch::name));
            int start = 0;
            if (after != null) {
                String last = after;
                int index = java.util.stream.IntStream.range(0, all.size()).filter(i -> all.get(i).name().equals(last))
                        .findFirst().orElseThrow(() -> new ValidationException("cursor names a branch that no longer exists; "
                                + "list from the start"));
                start = index + 1;
            }
            List<StorageViews.Branch> page = all.subList(start, Math.min(all.size(), start + limit));
            boolean more = start + limit < all.size();
            return new StorageViews.Branches(page, more ? page.get(page.size() - 1).cursor() : null, more);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String branchCursor(String name) {
        return "b_" + Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    public StorageViews.Commits commits(Repo repo, String branch, String cursor, String rawLimit, String ephemeral) {
        int limit = limit(rawLimit);
        boolean eph = bool("ephemeral", ephemeral);
        int skip;
        try {
            skip = cursor == null || cursor.isEmpty() ? 0 : Integer.parseInt(cursor);
        } catch (NumberFormatException e) {
            throw new ValidationException("cursor must be the number of commits to skip, as next_cursor gave it");
        }
        if (skip < 0) {
            throw new ValidationException("cursor must not be negative");
        }
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            ObjectId head = RefSpelling.branchHead(git, "branch", branch == null || branch.isEmpty() ? repo.defaultBranch() : branch, eph);
            walk.markStart(walk.parseCommit(head));
            List<StorageViews.Commit> page = new ArrayList<>();
            int seen = 0;
            boolean more = false;
            for (RevCommit c : walk) {
                if (seen++ < skip) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(new StorageViews.Commit(c.name(), java.util.Arrays.stream(c.getParents()).map(RevCommit::name).toList(),
                        c.getFullMessage(), c.getAuthorIdent().getName(),
                        c.getAuthorIdent().getEmailAddress(), c.getCommitterIdent().getName(),
                        c.getCommitterIdent().getEmailAddress(), c.getAuthorIdent().getWhenAsInstant()));
            }
            return new StorageViews.Commits(page, more ? String.valueOf(skip + page.size()) : null, more);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where branches live: {@code refs/heads/}, or the ephemeral namespace's. */
    public static String branchPrefix(boolean ephemeral) {
        return ephemeral ? StorageCommits.EPHEMERAL : Constants.R_HEADS;
    }

    public static boolean bool(String name, String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ValidationException(name + " must be true or false");
        };
    }

    static int limit(String raw) {
        return limit(raw, DEFAULT_LIMIT, MAX_LIMIT);
    }

    /** A {@code limit} query parameter: {@code fallback} when absent, else 1 to {@code max} (400 otherwise). */
    static int limit(String raw, int fallback, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ValidationException("limit must be a number from 1 to " + max);
    }
}
