package dev.shoal.gateway.compat.ci.client;

import dev.shoal.platform.client.ServiceClient;
import dev.shoal.platform.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
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
        return services.request(HttpMethod.POST, "pipeline", "/internal/drone/repos")
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(body.encode()))
                .map(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new ApiException(503, "service_unavailable",
                                "pipeline-service could not describe the repositories (HTTP " + response.statusCode() + ")");
                    }
                    JsonArray data = response.bodyAsJsonObject().getJsonArray("data");
                    List<JsonObject> out = new ArrayList<>();
                    data.forEach(item -> out.add((JsonObject) item));
                    return out;
                })
                .onFailure(e -> !(e instanceof ApiException)).transform(e -> new ApiException(503, "service_unavailable",
                        "pipeline-service is not reachable: " + e.getMessage()));
    }
}
