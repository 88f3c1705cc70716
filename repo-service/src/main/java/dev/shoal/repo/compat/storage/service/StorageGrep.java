package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.content.GitPaths;
import dev.shoal.repo.git.GitStore;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.compat.storage.StorageViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The SDK's {@code grep}: a regular expression over the text files of a ref, files in path order.
 * Binary files (a NUL in the first 8000 bytes) and files over 1 MiB are skipped. A pattern is a
 * Java regular expression; its matching is bounded in time so a pathological pattern answers 400
 * instead of holding a worker.
 */
@ApplicationScoped
public class StorageGrep {

    private static final long MAX_FILE = 1024 * 1024;
    private static final int MAX_CONTEXT = 50;
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final long BUDGET_NANOS = 5_000_000_000L;

    private final GitStore store;

    public StorageGrep(GitStore store) {
        this.store = store;
    }

    public StorageViews.GrepResult grep(Repo repo, StorageViews.GrepRequest req) {
        if (req == null || req.query() == null || req.query().pattern() == null || req.query().pattern().isEmpty()) {
            throw new ValidationException("query.pattern is required: a regular expression to search for");
        }
        boolean caseSensitive = req.query().caseSensitive() == null || req.query().caseSensitive();
        Pattern pattern;
        try {
            pattern = Pattern.compile(req.query().pattern(), caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new ValidationException("query.pattern is not a valid regular expression: " + e.getDescription());
        }
        List<String> prefixes = new ArrayList<>();
        for (String p : req.paths() == null ? List.<String>of() : req.paths()) {
            prefixes.add(GitPaths.requireFile(p == null ? "" : p.replaceFirst("/+$", "")));
        }
        StorageViews.GrepFilters filters = req.fileFilters();
        PathGlobs globs = PathGlobs.of(filters == null ? null : filters.includeGlobs(), "file_filters.include_globs",
                filters == null ? null : filters.excludeGlobs(), "file_filters.exclude_globs");
        List<String> extensions = new ArrayList<>();
        for (String ext : filters == null || filters.extensionFilters() == null ? List.<String>of() : filters.extensionFilters()) {
            if (ext == null || ext.isBlank() || ext.contains("/")) {
                throw new ValidationException("file_filters.extension_filters: each is an extension such as 'ts' or '.ts'");
            }
            extensions.add(ext.startsWith(".") ? ext : "." + ext);
        }
        int before = bounded(req.context() == null ? null : req.context().before(), "context.before", 0, MAX_CONTEXT, 0);
        int after = bounded(req.context() == null ? null : req.context().after(), "context.after", 0, MAX_CONTEXT, 0);
        int maxLines = bounded(req.limits() == null ? null : req.limits().maxLines(), "limits.max_lines", 1, 100_000, 10_000);
        int maxPerFile = bounded(req.limits() == null ? null : req.limits().maxMatchesPerFile(), "limits.max_matches_per_file", 1, 100_000, 1_000);
        int limit = bounded(req.pagination() == null ? null : req.pagination().limit(), "pagination.limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String cursorPath = null;
        String cursor = req.pagination() == null ? null : req.pagination().cursor();
        if (cursor != null && !cursor.isEmpty()) {
            try {
                cursorPath = new String(Base64.getUrlDecoder().decode(cursor.startsWith("g_") ? cursor.substring(2) : "!"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("pagination.cursor is not one this service returned");
            }
        }
        boolean eph = Boolean.TRUE.equals(req.ephemeral());
        String ref = req.ref() == null || req.ref().isEmpty() ? null : req.ref();
        String name = ref == null ? repo.defaultBranch() : ref;
        long deadline = System.nanoTime() + BUDGET_NANOS;
        Repository git = store.open(repo.id());
        try (RevWalk walk = new RevWalk(git); TreeWalk tree = new TreeWalk(git)) {
            RevCommit head = RefSpelling.read(git, walk, repo, "ref", ref, eph);
            tree.addTree(head.getTree());
            tree.setRecursive(true);
            List<StorageViews.GrepFileMatch> matches = new ArrayList<>();
            int lines = 0;
            boolean more = false;
            while (tree.next()) {
                String path = tree.getPathString();
                FileMode mode = tree.getFileMode(0);
                if ((cursorPath != null && path.compareTo(cursorPath) <= 0) || !wanted(path, prefixes, globs, extensions)
                        || (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE)) {
                    continue;
                }
                ObjectLoader loader = tree.getObjectReader().open(tree.getObjectId(0), Constants.OBJ_BLOB);
                if (loader.getSize() > MAX_FILE) {
                    continue;
                }
                byte[] bytes = loader.getCachedBytes();
                if (binary(bytes)) {
                    continue;
                }
                List<StorageViews.GrepLine> found = search(new String(bytes, StandardCharsets.UTF_8), pattern, before, after, maxPerFile, deadline);
                if (found.isEmpty()) {
                    continue;
                }
                if (matches.size() == limit || lines >= maxLines) {
                    more = true;
                    break;
                }
                matches.add(new StorageViews.GrepFileMatch(path, found));
                lines += (int) found.stream().filter(l -> l.type().equals("match")).count();
            }
            String next = more ? "g_" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(matches.get(matches.size() - 1).path().getBytes(StandardCharsets.UTF_8)) : null;
            return new StorageViews.GrepResult(new StorageViews.GrepQuery(req.query().pattern(), caseSensitive),
                    new StorageViews.GrepRepo(name, head.name()), matches, next, more);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<StorageViews.GrepLine> search(String text, Pattern pattern, int before, int after, int maxPerFile, long deadline) {
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        boolean[] match = new boolean[count];
        int found = 0;
        for (int i = 0; i < count && found < maxPerFile; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            Matcher m = pattern.matcher(new Bounded(line, deadline));
            if (m.find()) {
                match[i] = true;
                found++;
            }
        }
        boolean[] show = new boolean[count];
        for (int i = 0; i < count; i++) {
            if (match[i]) {
                for (int j = Math.max(0, i - before); j <= Math.min(count - 1, i + after); j++) {
                    show[j] = true;
                }
            }
        }
        List<StorageViews.GrepLine> out = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            if (show[j]) {
                String line = lines[j].endsWith("\r") ? lines[j].substring(0, lines[j].length() - 1) : lines[j];
                out.add(new StorageViews.GrepLine(j + 1, line, match[j] ? "match" : "context"));
            }
        }
        return out;
    }

    private static boolean wanted(String path, List<String> prefixes, PathGlobs globs, List<String> extensions) {
        if (!prefixes.isEmpty() && prefixes.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
            return false;
        }
        if (!extensions.isEmpty() && extensions.stream().noneMatch(path::endsWith)) {
            return false;
        }
        return globs.wanted(path);
    }

    private static int bounded(Integer value, String field, int min, int max, int dflt) {
        if (value == null) {
            return dflt;
        }
        if (value < min || value > max) {
            throw new ValidationException(field + " must be from " + min + " to " + max);
        }
        return value;
    }

    private static boolean binary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** A line whose reads fail once the request's time budget is spent (regex backtracking cannot run away). */
    private record Bounded(String text, long deadline) implements CharSequence {

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (System.nanoTime() > deadline) {
                throw new ApiException(400, "validation_failed",
                        "query.pattern took too long to match (simplify the expression: nested repetition backtracks)");
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Bounded(text.substring(start, end), deadline);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
