package dev.shoal.issue.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link RepoGateway} over repo-service's internal REST API. */
@ApplicationScoped
public class HttpRepoGateway implements RepoGateway {

    private static final String SERVICE = "repo";

    private final ServiceClient client;
    private final ObjectMapper mapper;

    public HttpRepoGateway(ServiceClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    @Override
    public Uni<RepoInfo> repo(long repoId) {
        return client.get(SERVICE, "/internal/repos/" + repoId).map(data -> convert(data, RepoInfo.class));
    }

    @Override
    public Uni<Optional<ResolvedRef>> resolve(long repoId, String ref) {
        return client.find(SERVICE, "/internal/repos/" + repoId + "/resolve?ref=" + ServiceClient.encode(ref))
                .map(found -> found.map(data -> convert(data, ResolvedRef.class)));
    }

    @Override
    public Uni<Comparison> compare(long repoId, String base, String head) {
        return client.get(SERVICE, "/internal/repos/" + repoId + "/compare?base=" + ServiceClient.encode(base)
                        + "&head=" + ServiceClient.encode(head))
                .map(data -> convert(data, Comparison.class));
    }

    @Override
    public Uni<MergeResult> merge(long repoId, MergeCommand command) {
        return client.post(SERVICE, "/internal/repos/" + repoId + "/merge", json(command))
                .map(data -> convert(data, MergeResult.class));
    }

    @Override
    public Uni<MergeResult> rebase(long repoId, RebaseCommand command) {
        return client.post(SERVICE, "/internal/repos/" + repoId + "/rebase", json(command))
                .map(data -> convert(data, MergeResult.class));
    }

    @Override
    public Uni<List<TreeEntry>> tree(long repoId, String ref, String path) {
        return client.find(SERVICE, "/internal/repos/" + repoId + "/tree?ref=" + ServiceClient.encode(ref)
                        + "&path=" + ServiceClient.encode(path))
                .map(found -> {
                    JsonArray entries = found.map(data -> data.getJsonArray("data", new JsonArray())).orElseGet(JsonArray::new);
                    List<TreeEntry> result = new ArrayList<>(entries.size());
                    for (int i = 0; i < entries.size(); i++) {
                        result.add(convert(entries.getJsonObject(i), TreeEntry.class));
                    }
                    return result;
                });
    }

    @Override
    public Uni<Optional<byte[]>> file(long repoId, String ref, String path) {
        return client.bytes(SERVICE, "/internal/repos/" + repoId + "/file?ref=" + ServiceClient.encode(ref)
                + "&path=" + ServiceClient.encode(path));
    }

    private JsonObject json(Object command) {
        return JsonObject.mapFrom(mapper.convertValue(command, Map.class));
    }

    private <T> T convert(JsonObject json, Class<T> type) {
        return mapper.convertValue(json.getMap(), type);
    }
}
