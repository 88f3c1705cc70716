package dev.shoal.issue.repo.rest;

import dev.shoal.issue.repo.service.RepoRowCache;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Once a write request has been answered (its transaction committed), {@link RepoRowCache} forgets its
 * rows: a write may change a repository's row as it commits (the issue list's version, the last number
 * taken), and the client's next request must see it even before PostgreSQL's announcement of the change
 * reaches this process. Writes are few next to reads, and forgetting costs one lookup each.
 */
public class WritesForgetRepoRows {

    private static final Set<String> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final RepoRowCache cache;

    public WritesForgetRepoRows(RepoRowCache cache) {
        this.cache = cache;
    }

    @ServerResponseFilter
    public void afterWrite(ContainerRequestContext request) {
        if (WRITES.contains(request.getMethod())) {
            cache.wrote();
        }
    }
}
