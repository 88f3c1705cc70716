package dev.shoal.gateway.compat.pagure.service;

import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** {@link PagureProjects} over repo-service's {@code GET /internal/pagure/projects}. */
@ApplicationScoped
public class RepoServicePagureProjects implements PagureProjects {

    private final ServiceClient client;

    public RepoServicePagureProjects(ServiceClient client) {
        this.client = client;
    }

    @Override
    public Uni<Page> list(Map<String, String> filters, int page, int perPage) {
        StringBuilder path = new StringBuilder("/internal/pagure/projects?page=").append(page).append("&per_page=").append(perPage);
        filters.forEach((key, value) -> {
            if (value != null) {
                path.append('&').append(key).append('=').append(ServiceClient.encode(value));
            }
        });
        return client.get("repo", path.toString()).map(data -> {
            JsonArray projects = data.getJsonArray("projects", new JsonArray());
            return new Page(projects, data.getLong("total", (long) projects.size()));
        });
    }
}
