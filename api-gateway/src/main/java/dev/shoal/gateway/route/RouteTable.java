package dev.shoal.gateway.route;

import dev.shoal.platform.identity.Scope;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The declarative table of every public route ({@code routes.table}). Deny by default: a request
 * that matches no line is answered 404 by the gateway.
 */
public final class RouteTable {

    public static final String RESOURCE = "routes.table";
    private static final Set<String> SERVICES = Set.of("gateway", "repo", "issue", "pipeline", "webhook", "web");
    /**
     * First path segments that belong to the API, git hosting and operations: the web interface's
     * {org}-shaped pages never match under them, so an unknown API path stays a 404 in the envelope.
     */
    private static final Set<String> NOT_WEB = Set.of("api", "storage", "internal", "q");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final List<Route> routes;
    /**
     * The routes a request can match, by method and then by the path's first segment, each list in
     * table order: a route whose first segment is a parameter is in every list of its method. Without
     * it every request was tried against all ~450 lines (a profile of GET repo showed the scan).
     */
    private final Map<String, Candidates> byMethod;

    private record Candidates(Map<String, List<Route>> byFirstSegment, List<Route> anyFirstSegment) {

        List<Route> forFirstSegment(String segment) {
            return byFirstSegment.getOrDefault(segment, anyFirstSegment);
        }
    }

    private RouteTable(List<Route> routes) {
        this.routes = routes.stream()
                .sorted(Comparator.comparingInt((Route r) -> r.pattern().specificity())
                        .thenComparingInt(r -> r.pattern().suffixLength()).reversed())
                .toList();
        Map<String, Candidates> index = new HashMap<>();
        for (String method : METHODS) {
            List<Route> ofMethod = this.routes.stream().filter(r -> r.method().equals(method)).toList();
            Map<String, List<Route>> byFirst = new HashMap<>();
            ofMethod.stream().map(r -> r.pattern().firstLiteral()).filter(Objects::nonNull).distinct().forEach(first ->
                    byFirst.put(first, ofMethod.stream()
                            .filter(r -> r.pattern().firstLiteral() == null || r.pattern().firstLiteral().equals(first)).toList()));
            index.put(method, new Candidates(Map.copyOf(byFirst),
                    ofMethod.stream().filter(r -> r.pattern().firstLiteral() == null).toList()));
        }
        this.byMethod = Map.copyOf(index);
    }

    public static RouteTable load() {
        try (InputStream in = RouteTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RouteTable parse(String text) {
        List<Route> routes = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader reader = new BufferedReader(new java.io.StringReader(text))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                try {
                    routes.add(parseLine(trimmed.split("\\s+")));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(RESOURCE + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RouteTable(routes);
    }

    private static Route parseLine(String[] cols) {
        if (cols.length < 6 || cols.length > 7) {
            throw new IllegalArgumentException("expected 6 or 7 columns, found " + cols.length);
        }
        String method = cols[0];
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("unknown method " + method);
        }
        if (!SERVICES.contains(cols[2])) {
            throw new IllegalArgumentException("unknown service " + cols[2]);
        }
        AuthKind auth = AuthKind.valueOf(cols[3].toUpperCase(Locale.ROOT));
        Scope scope = cols[4].equals("-") ? null
                : Scope.parse(cols[4]).orElseThrow(() -> new IllegalArgumentException("unknown scope " + cols[4]));
        if (scope == null && (auth == AuthKind.USER || auth == AuthKind.OPTIONAL)) {
            throw new IllegalArgumentException("user routes need a scope");
        }
        Access access = Access.parse(cols[5]);
        long limit = cols.length == 7 ? parseLimit(cols[6]) : 1024 * 1024;
        return new Route(method, PathPattern.parse(cols[1]), cols[2], auth, scope, access, limit);
    }

    private static long parseLimit(String raw) {
        if (raw.equals("stream")) {
            return -1;
        }
        long unit = raw.endsWith("k") ? 1024 : raw.endsWith("m") ? 1024 * 1024 : 1;
        String digits = unit == 1 ? raw : raw.substring(0, raw.length() - 1);
        return Long.parseLong(digits) * unit;
    }

    public List<Route> routes() {
        return routes;
    }

    /**
     * The route for this request, or null. {@code path} is the raw (still percent-encoded) path. A
     * HEAD request takes the GET route of its path (HTTP: HEAD is GET without the body), under the
     * GET route's authentication, scope and access rules.
     */
    public RouteMatch match(String method, String path, Map<String, List<String>> query) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        RouteMatch exact = matchMethod(method, path, query);
        return exact == null && method.equals("HEAD") ? matchMethod("GET", path, query) : exact;
    }

    private RouteMatch matchMethod(String method, String path, Map<String, List<String>> query) {
        Candidates candidates = byMethod.get(method);
        if (candidates == null) {
            return null;
        }
        String[] segments = path.substring(1).split("/", -1);
        for (Route route : candidates.forFirstSegment(segments[0])) {
            if (route.isWeb() && NOT_WEB.contains(segments[0])) {
                continue;
            }
            Map<String, String> params = route.pattern().match(segments, query);
            if (params != null) {
                return new RouteMatch(route, params);
            }
        }
        return null;
    }

    /** Whether the path exists under another method (for a 405 rather than a 404). */
    public boolean matchesOtherMethod(String path, Map<String, List<String>> query) {
        String[] segments = path.substring(1).split("/", -1);
        return routes.stream().anyMatch(r -> !(r.isWeb() && NOT_WEB.contains(segments[0])) && r.pattern().match(segments, query) != null);
    }
}
