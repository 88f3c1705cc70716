package dev.shoal.issue.compat.pagure.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
        return client.get("pipeline", path(repoId, sha)).map(data -> {
            List<Flag> flags = new ArrayList<>();
            data.getJsonArray("data", new JsonArray()).forEach(item -> flags.add(mapper.convertValue(((JsonObject) item).getMap(), Flag.class)));
            return flags;
        });
    }

    @Override
    public Uni<Saved> save(long repoId, String sha, NewFlag flag) {
        return client.post("pipeline", path(repoId, sha), JsonObject.mapFrom(flag))
                .map(data -> mapper.convertValue(data.getMap(), Saved.class));
    }

    private static String path(long repoId, String sha) {
        return "/internal/repos/" + repoId + "/commits/" + sha + "/flags";
    }
}
