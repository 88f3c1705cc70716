package dev.shoal.gateway.compat.pagure.service;

import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
                path.append('&').append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return ServiceClient.data(client.request(HttpMethod.GET, "repo", path.toString()).send()).map(data -> {
            JsonArray projects = data.getJsonArray("projects", new JsonArray());
            return new Page(projects, data.getLong("total", (long) projects.size()));
        });
    }
}
