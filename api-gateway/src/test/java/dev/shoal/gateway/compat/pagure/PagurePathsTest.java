package dev.shoal.gateway.compat.pagure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The three Pagure path forms onto the one the route table knows. */
class PagurePathsTest {

    private static String canonical(String path) {
        return PagurePaths.canonical(path, "pagure");
    }

    @Test
    void namespacedPathsAreAlreadyCanonical() {
        assertThat(canonical("/api/0/acme/proj")).isEqualTo("/api/0/acme/proj");
        assertThat(canonical("/api/0/acme/proj/git/branches")).isEqualTo("/api/0/acme/proj/git/branches");
        assertThat(canonical("/api/0/acme/proj/issue/3/comment")).isEqualTo("/api/0/acme/proj/issue/3/comment");
    }

    @Test
    void noNamespaceMeansTheDefaultNamespace() {
        assertThat(canonical("/api/0/proj")).isEqualTo("/api/0/pagure/proj");
        assertThat(canonical("/api/0/proj/git/tags")).isEqualTo("/api/0/pagure/proj/git/tags");
        assertThat(canonical("/api/0/proj/issues")).isEqualTo("/api/0/pagure/proj/issues");
        assertThat(canonical("/api/0/proj/pull-request/1/merge")).isEqualTo("/api/0/pagure/proj/pull-request/1/merge");
        assertThat(canonical("/api/0/proj/c/abc/flag")).isEqualTo("/api/0/pagure/proj/c/abc/flag");
        // Pagure's URL map prefers the action reading too.
        assertThat(canonical("/api/0/proj/tags")).isEqualTo("/api/0/pagure/proj/tags");
    }

    @Test
    void forksBecomeTheirShoalRepository() {
        assertThat(canonical("/api/0/fork/alice/proj")).isEqualTo("/api/0/pagure/proj--fork--alice");
        assertThat(canonical("/api/0/fork/alice/proj/git/urls")).isEqualTo("/api/0/pagure/proj--fork--alice/git/urls");
        assertThat(canonical("/api/0/fork/alice/acme/proj")).isEqualTo("/api/0/acme/proj--fork--alice");
        assertThat(canonical("/api/0/fork/alice/acme/proj/issue/2")).isEqualTo("/api/0/acme/proj--fork--alice/issue/2");
        assertThat(canonical("/api/0/fork/alice/acme/proj/pull-requests")).isEqualTo("/api/0/acme/proj--fork--alice/pull-requests");
    }

    @Test
    void instanceLevelPathsAreLeftAlone() {
        for (String path : new String[]{"/api/0/fork", "/api/0/new", "/api/0/projects", "/api/0/users", "/api/0/user/bob",
                "/api/0/user/bob/activity/stats", "/api/0/groups", "/api/0/group/g", "/api/0/-/whoami",
                "/api/0/pull-requests/abc", "/api/0/task/12/status", "/api/0/", "/api/v1/repos/a/b", "/acme/proj.git/info/refs",
                "/api/0/fork/alice", "/api/0/fork/alice/"}) {
            assertThat(canonical(path)).as(path).isEqualTo(path);
        }
    }
}
