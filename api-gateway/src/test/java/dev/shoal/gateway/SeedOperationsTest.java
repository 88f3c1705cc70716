package dev.shoal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the five API documents Shoal implements (/work/shared/seeds, kept as data in
 * src/test/resources/seed-operations with the script that wrote it) has a route in routes.table,
 * or an explicit exclusion with its reason. A route that disappears, or a seed operation nobody
 * served, fails here by name.
 */
class SeedOperationsTest {

    static final List<String> SEEDS = List.of("000-isurus.txt", "001-drone.txt", "002-woodpecker.txt", "003-pagure.txt",
            "004-code-storage.txt");

    /** One operation of a seed: as the seed spells it, the route path it maps to, and why it is not served (or null). */
    record Operation(String seed, String method, String path, String route, String excluded) {

        String key() {
            return method + " " + shape(route);
        }
    }

    @Test
    void everySeedOperationHasARouteOrAReasonNotTo() throws IOException {
        Set<String> routes = routes();
        List<Operation> operations = operations();
        List<String> missing = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        int served = 0;
        int excluded = 0;
        for (Operation op : operations) {
            if (op.excluded() != null) {
                excluded++;
                if (op.excluded().isBlank()) {
                    unexplained.add(op.seed() + ": " + op.method() + " " + op.path());
                }
            } else if (routes.contains(op.key())) {
                served++;
            } else {
                missing.add(op.seed() + ": " + op.method() + " " + op.path() + " (no route " + op.key() + ")");
            }
        }
        assertThat(missing).as("seed operations without a route in routes.table").isEmpty();
        assertThat(unexplained).as("exclusions without a reason").isEmpty();
        assertThat(served + excluded).isEqualTo(operations.size());
        assertThat(operations).hasSizeGreaterThan(200);
    }

    @Test
    void theComparisonSeesAMissingRoute() throws IOException {
        Set<String> routes = routes();
        assertThat(routes).contains("POST /api/hook", "GET /api/repos/lookup/{}/{}", "GET /api/0/{}/{}");
        Operation unknown = new Operation("test", "POST", "/api/repos/:repo_id/teleport", "/api/repos/:repo_id/teleport", null);
        assertThat(routes).doesNotContain(unknown.key());
    }

    /** A path with every parameter ({name}, {name*}, :name, <name>, *name) as {} and rest-of-path ones as {*}. */
    static String shape(String path) {
        return path.replaceAll("\\{[^}]*\\*}", "{*}").replaceAll("\\{[^}*]+}", "{}").replaceAll("<[^>]+>", "{}")
                .replaceAll(":[A-Za-z_]+", "{}").replaceAll("\\*[A-Za-z_]+", "{*}");
    }

    static Set<String> routes() throws IOException {
        Set<String> routes = new HashSet<>();
        for (String line : lines("routes.table")) {
            String[] parts = line.trim().split("\\s+");
            if (!line.isBlank() && !line.startsWith("#") && parts.length >= 2) {
                routes.add(parts[0] + " " + shape(parts[1].split("\\?")[0]));
            }
        }
        return routes;
    }

    static List<Operation> operations() throws IOException {
        List<Operation> out = new ArrayList<>();
        for (String seed : SEEDS) {
            for (String line : lines("seed-operations/" + seed)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String excluded = null;
                String text = line;
                int bang = text.indexOf(" ! ");
                if (bang >= 0) {
                    excluded = text.substring(bang + 3).trim();
                    text = text.substring(0, bang);
                }
                String route = null;
                int eq = text.indexOf(" = ");
                if (eq >= 0) {
                    route = text.substring(eq + 3).trim();
                    text = text.substring(0, eq);
                }
                String[] parts = text.trim().split("\\s+");
                out.add(new Operation(seed, parts[0], parts[1], route == null ? parts[1] : route, excluded));
            }
        }
        return out;
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = SeedOperationsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the test class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
