package dev.shoal.gateway.compat.ci.client;

import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Asks pipeline-service ({@code POST /internal/drone/repos}). */
@ApplicationScoped
public class HttpCiRepoClient implements CiRepoClient {

    private final ServiceClient services;

    public HttpCiRepoClient(ServiceClient services) {
        this.services = services;
    }

    @Override
    public Uni<List<JsonObject>> summaries(List<Long> repoIds) {
        if (repoIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        JsonObject body = new JsonObject().put("repo_ids", new JsonArray(new ArrayList<>(repoIds)));
        return services.post("pipeline", "/internal/drone/repos", body).map(data -> {
            List<JsonObject> out = new ArrayList<>();
            data.getJsonArray("data", new JsonArray()).forEach(item -> out.add((JsonObject) item));
            return out;
        });
    }
}
