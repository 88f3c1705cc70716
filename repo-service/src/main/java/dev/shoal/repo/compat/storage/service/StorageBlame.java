package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.content.GitPaths;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.StorageViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.blame.BlameGenerator;
import org.eclipse.jgit.blame.BlameResult;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The SDK's {@code getBlame}: which commit last changed each line of a file (JGit's blame, renames
 * followed with {@code detect_moves}); {@code range} ({@code start,end}, 1-based inclusive,
 * repeatable) keeps only those lines.
 */
@ApplicationScoped
public class StorageBlame {

    private static final Pattern RANGE = Pattern.compile("(\\d{1,9})[,-](\\d{1,9})");

    private final GitStore store;

    public StorageBlame(GitStore store) {
        this.store = store;
    }

    public StorageViews.Blame blame(Repo repo, String rawPath, String ref, String ephemeral, List<String> ranges, String detectMoves) {
        if (rawPath == null || rawPath.isEmpty()) {
            throw new ValidationException("path is required: the file to blame, e.g. README.md");
        }
        String path = GitPaths.requireFile(rawPath);
        boolean eph = StorageReads.bool("ephemeral", ephemeral);
        boolean follow = StorageReads.bool("detect_moves", detectMoves);
        List<int[]> wanted = new ArrayList<>();
        for (String r : ranges == null ? List.<String>of() : ranges) {
            for (String one : r.split(";")) {
                Matcher m = RANGE.matcher(one.trim());
                if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(2)) < Integer.parseInt(m.group(1))) {
                    throw new ValidationException("range must be start,end (1-based line numbers, start <= end), not '" + one + "'");
                }
                wanted.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
            }
        }
        String name = ref == null || ref.isEmpty() ? repo.defaultBranch() : ref;
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit head = RefSpelling.read(git, walk, repo, "ref", ref, eph);
            try (TreeWalk file = TreeWalk.forPath(git, path, head.getTree())) {
                if (file == null) {
                    throw new NotFoundException("file '" + path + "' not found at " + name);
                }
                if (file.isSubtree()) {
                    throw new ValidationException("path '" + path + "' is a directory, not a file");
                }
            }
            BlameResult result;
            try (BlameGenerator generator = new BlameGenerator(git, path)) {
                generator.setFollowFileRenames(follow);
                generator.push(null, head);
                result = BlameResult.create(generator);
                if (result != null) {
                    result.computeAll(); // while the generator is open: it computes lazily
                }
            }
            List<StorageViews.BlameLine> lines = new ArrayList<>();
            Map<String, Optional<String>> previous = new HashMap<>();
            if (result != null) {
                int count = result.getResultContents().size();
                for (int i = 0; i < count; i++) {
                    int number = i + 1;
                    if (!wanted.isEmpty() && wanted.stream().noneMatch(r -> number >= r[0] && number <= r[1])) {
                        continue;
                    }
                    RevCommit source = result.getSourceCommit(i);
                    PersonIdent author = result.getSourceAuthor(i);
                    PersonIdent committer = result.getSourceCommitter(i);
                    walk.parseBody(source);
                    String sourcePath = result.getSourcePath(i);
                    String before = previous.computeIfAbsent(source.name() + ' ' + sourcePath,
                            key -> previousCommit(git, walk, source, sourcePath)).orElse(null);
                    lines.add(new StorageViews.BlameLine(number, source.name(), result.getSourceLine(i) + 1, sourcePath, before,
                            author.getName(), author.getEmailAddress(), author.getWhenAsInstant().toString(),
                            committer.getName(), committer.getEmailAddress(), committer.getWhenAsInstant().toString(),
                            source.getShortMessage()));
                }
            }
            return new StorageViews.Blame(name, path, head.name(), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * git blame's {@code previous}: the parent of the line's commit that still has the file at the
     * line's path (where blaming further back would continue); none when the commit added the file.
     */
    private static Optional<String> previousCommit(Repository git, RevWalk walk, RevCommit source, String path) {
        try {
            for (RevCommit parent : source.getParents()) {
                walk.parseHeaders(parent);
                try (TreeWalk file = TreeWalk.forPath(git, path, parent.getTree())) {
                    if (file != null) {
                        return Optional.of(parent.name());
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
