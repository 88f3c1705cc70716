package dev.shoal.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Under {@code /api/repos/} a first segment of digits is Woodpecker's {@code {repo_id}}, anything
 * else Drone's {@code {org}}: a Drone repository named after a Woodpecker route is reachable.
 */
class RepoPathRuleTest {

    private final RouteTable table = RouteTable.load();

    @Test
    void aNamedOwnerIsDronesAndANumericOneWoodpeckers() {
        for (String word : List.of("move", "branches", "repair", "chown", "permissions", "pull_requests")) {
            assertThat(pattern("GET", "/api/repos/acme/" + word)).isEqualTo("/api/repos/{org}/{repo}");
            assertThat(table.match("GET", "/api/repos/acme/" + word, Map.of()).params())
                    .containsEntry("org", "acme").containsEntry("repo", word);
        }
        assertThat(pattern("POST", "/api/repos/acme/move")).isEqualTo("/api/repos/{org}/{repo}");
        assertThat(pattern("POST", "/api/repos/42/move")).isEqualTo("/api/repos/{repo_id}/move");
        assertThat(pattern("POST", "/api/repos/42/chown")).isEqualTo("/api/repos/{repo_id}/chown");
        assertThat(pattern("GET", "/api/repos/42/branches")).isEqualTo("/api/repos/{repo_id}/branches");
        assertThat(pattern("GET", "/api/repos/acme/pipelines")).isEqualTo("/api/repos/{org}/{repo}");
    }

    private String pattern(String method, String path) {
        return table.match(method, path, Map.of()).route().pattern().text();
    }
}
