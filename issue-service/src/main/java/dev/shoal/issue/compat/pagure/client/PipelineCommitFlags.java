package dev.shoal.issue.compat.pagure.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.client.ServiceClient;
import dev.shoal.platform.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** {@link CommitFlags} over pipeline-service's {@code /internal/repos/{id}/commits/{sha}/flags}. */
@ApplicationScoped
public class PipelineCommitFlags implements CommitFlags {

    private final ServiceClient client;
    private final ObjectMapper mapper;

    public PipelineCommitFlags(ServiceClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    @Override
    public Uni<List<Flag>> list(long repoId, String sha) {
        return guard(client.request(HttpMethod.GET, "pipeline", path(repoId, sha)).send()).map(response -> {
            JsonArray data = body(response).getJsonArray("data", new JsonArray());
            List<Flag> flags = new ArrayList<>();
            data.forEach(item -> flags.add(mapper.convertValue(((JsonObject) item).getMap(), Flag.class)));
            return flags;
        });
    }

    @Override
    public Uni<Saved> save(long repoId, String sha, NewFlag flag) {
        return guard(client.request(HttpMethod.POST, "pipeline", path(repoId, sha))
                .sendJson(JsonObject.mapFrom(flag)))
                .map(response -> mapper.convertValue(body(response).getJsonObject("data").getMap(), Saved.class));
    }

    private static String path(long repoId, String sha) {
        return "/internal/repos/" + repoId + "/commits/" + sha + "/flags";
    }

    private static JsonObject body(HttpResponse<Buffer> response) {
        JsonObject json;
        try {
            json = response.bodyAsJsonObject();
        } catch (RuntimeException e) {
            json = null;
        }
        if (response.statusCode() / 100 == 2 && json != null) {
            return json;
        }
        JsonObject error = json == null ? null : json.getJsonObject("error");
        if (error == null) {
            throw new ApiException(502, "upstream_error", "pipeline-service answered " + response.statusCode());
        }
        throw new ApiException(response.statusCode(), error.getString("code", "upstream_error"), error.getString("message", ""));
    }

    private static <T> Uni<T> guard(Uni<T> call) {
        return call.onFailure(e -> !(e instanceof ApiException)).transform(e ->
                new ApiException(503, "unavailable", "pipeline-service did not answer; try again shortly"));
    }
}
