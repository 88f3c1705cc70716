package dev.shoal.gateway.proxy;

import java.util.List;
import java.util.Map;

/**
 * Which services may call which of the gateway's {@code /internal/} endpoints (ADR 0006). A service
 * key that leaks opens only what that service needs; webhook-service, which talks to user-supplied
 * URLs, needs none of them.
 */
final class InternalCallers {

    private static final Map<String, List<String>> BY_PREFIX = Map.of(
            // pipeline-service: the full name of a Pagure commit flag's author
            "/internal/users/", List.of("issue-service", "repo-service", "pipeline-service"),
            "/internal/orgs/", List.of("issue-service", "repo-service"),
            "/internal/storage-tokens/", List.of("repo-service"),
            // the SSH server (in repo-service) asks who holds a key and what it may do (ADR 0010)
            "/internal/ssh/", List.of("repo-service"));

    private InternalCallers() {
    }

    static boolean allowed(String service, String path) {
        for (Map.Entry<String, List<String>> entry : BY_PREFIX.entrySet()) {
            if (path.startsWith(entry.getKey())) {
                return entry.getValue().contains(service);
            }
        }
        return false;
    }
}
