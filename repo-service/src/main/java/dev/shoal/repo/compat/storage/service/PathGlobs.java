package dev.shoal.repo.compat.storage.service;

import dev.shoal.platform.error.ValidationException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The include/exclude globs of grep's {@code file_filters} and the archive's options (Java glob
 * syntax). A glob matches a file's whole path or its name, so {@code *.md} finds Markdown files in
 * every directory; include globs are applied first, then exclude globs.
 */
final class PathGlobs {

    private final List<PathMatcher> include;
    private final List<PathMatcher> exclude;

    private PathGlobs(List<PathMatcher> include, List<PathMatcher> exclude) {
        this.include = include;
        this.exclude = exclude;
    }

    /** Parses both lists; a blank, NUL-carrying or malformed glob is a 400 naming its field. */
    static PathGlobs of(List<String> include, String includeField, List<String> exclude, String excludeField) {
        return new PathGlobs(parse(include, includeField), parse(exclude, excludeField));
    }

    boolean wanted(String path) {
        Path asPath = Path.of(path);
        Path fileName = asPath.getFileName();
        if (!include.isEmpty() && include.stream().noneMatch(m -> m.matches(asPath) || m.matches(fileName))) {
            return false;
        }
        return exclude.stream().noneMatch(m -> m.matches(asPath) || m.matches(fileName));
    }

    private static List<PathMatcher> parse(List<String> globs, String field) {
        List<PathMatcher> out = new ArrayList<>();
        for (String g : globs == null ? List.<String>of() : globs) {
            if (g == null || g.isBlank() || g.indexOf('\0') >= 0) {
                throw new ValidationException(field + ": each glob must be a non-empty pattern such as 'src/**' or '*.md'");
            }
            try {
                out.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
            } catch (IllegalArgumentException e) {
                throw new ValidationException(field + ": '" + g + "' is not a valid glob: " + e.getMessage());
            }
        }
        return out;
    }
}
