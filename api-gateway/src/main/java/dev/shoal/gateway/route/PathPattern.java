package dev.shoal.gateway.route;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A path such as {@code /api/v1/repos/{org}/{repo}/tree/{path*}} or {@code /{org}/{repo}.git/info/refs},
 * optionally with one required query parameter ({@code ?service=git-upload-pack}). {@code {name*}}
 * (last only) takes the rest of the path, possibly empty; {@code {name+}} takes one or more whole
 * segments (at most one per pattern, anywhere), as many as the literal segments after it leave, so
 * {@code /storage/{id+}.git/info/refs} names a Code Storage id that contains {@code /}.
 */
public final class PathPattern {

    /** Parameters that name a repository or organization by numeric id; the gateway resolves them. */
    public static final java.util.Set<String> NUMERIC = java.util.Set.of("repo_id", "org_id");

    private final String text;
    private final List<Segment> segments;
    private final String queryKey;
    private final String queryValue;
    /** Index of the multi-segment parameter, -1 when none: found once, not on every match attempt. */
    private final int multi;

    private record Segment(String literal, String param, String suffix, boolean rest, boolean multi) {
    }

    private PathPattern(String text, List<Segment> segments, String queryKey, String queryValue) {
        this.text = text;
        this.segments = segments;
        this.queryKey = queryKey;
        this.queryValue = queryValue;
        this.multi = segments.stream().filter(Segment::multi).findFirst().map(segments::indexOf).orElse(-1);
    }

    public static PathPattern parse(String text) {
        String path = text;
        String queryKey = null;
        String queryValue = null;
        int q = text.indexOf('?');
        if (q >= 0) {
            path = text.substring(0, q);
            String[] kv = text.substring(q + 1).split("=", 2);
            queryKey = kv[0];
            queryValue = kv.length > 1 ? kv[1] : "";
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + text);
        }
        List<Segment> segments = new ArrayList<>();
        String[] parts = path.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("{")) {
                int close = part.indexOf('}');
                String name = part.substring(1, close);
                boolean rest = name.endsWith("*");
                boolean multi = name.endsWith("+");
                if (rest && i != parts.length - 1) {
                    throw new IllegalArgumentException("{name*} must be last: " + text);
                }
                segments.add(new Segment(null, rest || multi ? name.substring(0, name.length() - 1) : name,
                        part.substring(close + 1), rest, multi));
            } else {
                segments.add(new Segment(part, null, "", false, false));
            }
        }
        if (segments.stream().filter(Segment::multi).count() > 1
                || segments.stream().anyMatch(Segment::multi) && segments.stream().anyMatch(Segment::rest)) {
            throw new IllegalArgumentException("at most one {name+} and never with {name*}: " + text);
        }
        return new PathPattern(text, List.copyOf(segments), queryKey, queryValue);
    }

    /** A positive whole number that fits a long (what ids are). */
    static boolean isId(String raw) {
        if (raw.isEmpty() || raw.length() > 19 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        try {
            return Long.parseLong(raw) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public String text() {
        return text;
    }

    /** The first segment when it is literal ({@code api} of {@code /api/v1/…}), else null. */
    String firstLiteral() {
        return segments.get(0).literal();
    }

    public boolean hasParam(String name) {
        return segments.stream().anyMatch(s -> name.equals(s.param()));
    }

    /** The decoded-free raw segments of a request path matched against this pattern, or null. */
    public Map<String, String> match(String[] pathSegments, Map<String, List<String>> query) {
        if (queryKey != null) {
            List<String> values = query.get(queryKey);
            if (values == null || !values.contains(queryValue)) {
                return null;
            }
        }
        if (multi >= 0) {
            return matchMulti(pathSegments, multi);
        }
        int n = segments.size();
        Segment last = segments.get(n - 1);
        if (last.rest()) {
            if (pathSegments.length < n - 1) {
                return null;
            }
        } else if (pathSegments.length != n) {
            return null;
        }
        // Check every segment before building anything: most lines a request is tried against fail.
        boolean hasParams = false;
        for (int i = 0; i < n; i++) {
            Segment segment = segments.get(i);
            if (segment.rest()) {
                hasParams = true;
                break;
            }
            String actual = pathSegments[i];
            if (segment.literal() != null) {
                if (!segment.literal().equals(actual)) {
                    return null;
                }
                continue;
            }
            // Numeric ids ({repo_id}, {org_id}) match digits only, so /api/repos/{owner}/{name} routes of
            // other dialects still match names.
            if (NUMERIC.contains(segment.param()) && !isId(actual)) {
                return null;
            }
            String suffix = segment.suffix();
            if (actual.length() <= suffix.length() || !actual.endsWith(suffix)) {
                return null;
            }
            hasParams = true;
        }
        if (!hasParams) {
            return Map.of();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Segment segment = segments.get(i);
            if (segment.rest()) {
                params.put(segment.param(), i < pathSegments.length
                        ? String.join("/", java.util.Arrays.copyOfRange(pathSegments, i, pathSegments.length)) : "");
                break;
            }
            if (segment.literal() == null) {
                String actual = pathSegments[i];
                params.put(segment.param(), actual.substring(0, actual.length() - segment.suffix().length()));
            }
        }
        return params;
    }

    /**
     * A pattern with a {@code {name+}} segment at {@code multi}: it takes the segments the others leave
     * (one at least), joined with {@code /}; the ones before and after match one for one.
     */
    private Map<String, String> matchMulti(String[] pathSegments, int multi) {
        int n = segments.size();
        int taken = pathSegments.length - (n - 1);
        if (taken < 1) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Segment segment = segments.get(i);
            String actual;
            if (i == multi) {
                actual = String.join("/", java.util.Arrays.copyOfRange(pathSegments, i, i + taken));
            } else {
                actual = pathSegments[i < multi ? i : i + taken - 1];
            }
            if (segment.literal() != null) {
                if (!segment.literal().equals(actual)) {
                    return null;
                }
                continue;
            }
            String suffix = segment.suffix();
            if (actual.length() <= suffix.length() || !actual.endsWith(suffix)) {
                return null;
            }
            params.put(segment.param(), actual.substring(0, actual.length() - suffix.length()));
        }
        return params;
    }

    /**
     * Literal characters after parameters: between equally specific patterns the longer suffix is
     * the narrower one, so {@code /storage/{id}+ephemeral.git/...} wins over {@code /storage/{id}.git/...}.
     */
    int suffixLength() {
        return segments.stream().mapToInt(s -> s.suffix().length()).sum();
    }

    /** More literal segments first, so /orgs/{org}/repos wins over nothing more general. */
    int specificity() {
        int score = 0;
        for (Segment segment : segments) {
            score += segment.literal() != null ? 4 : segment.rest() ? 0 : 1;
        }
        return score * 2 + (queryKey != null ? 1 : 0);
    }
}
