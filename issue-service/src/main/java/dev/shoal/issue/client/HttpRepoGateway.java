package dev.shoal.issue.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.client.InternalAnswers;
import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
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
        return call(client.request(HttpMethod.GET, SERVICE, "/internal/repos/" + repoId).send())
                .map(r -> convert(InternalAnswers.data(r), RepoInfo.class));
    }

    @Override
    public Uni<Optional<ResolvedRef>> resolve(long repoId, String ref) {
        return call(client.request(HttpMethod.GET, SERVICE, "/internal/repos/" + repoId + "/resolve")
                .addQueryParam("ref", ref).send())
                .map(r -> r.statusCode() == 404 ? Optional.<ResolvedRef>empty()
                        : Optional.of(convert(InternalAnswers.data(r), ResolvedRef.class)));
    }

    @Override
    public Uni<Comparison> compare(long repoId, String base, String head) {
        return call(client.request(HttpMethod.GET, SERVICE, "/internal/repos/" + repoId + "/compare")
                .addQueryParam("base", base).addQueryParam("head", head).send())
                .map(r -> convert(InternalAnswers.data(r), Comparison.class));
    }

    @Override
    public Uni<MergeResult> merge(long repoId, MergeCommand command) {
        return call(client.request(HttpMethod.POST, SERVICE, "/internal/repos/" + repoId + "/merge")
                .sendJson(JsonObject.mapFrom(mapper.convertValue(command, java.util.Map.class))))
                .map(r -> convert(InternalAnswers.data(r), MergeResult.class));
    }

    @Override
    public Uni<MergeResult> rebase(long repoId, RebaseCommand command) {
        return call(client.request(HttpMethod.POST, SERVICE, "/internal/repos/" + repoId + "/rebase")
                .sendJson(JsonObject.mapFrom(mapper.convertValue(command, java.util.Map.class))))
                .map(r -> convert(InternalAnswers.data(r), MergeResult.class));
    }

    @Override
    public Uni<List<TreeEntry>> tree(long repoId, String ref, String path) {
        return call(client.request(HttpMethod.GET, SERVICE, "/internal/repos/" + repoId + "/tree")
                .addQueryParam("ref", ref).addQueryParam("path", path).send())
                .map(r -> {
                    if (r.statusCode() == 404) {
                        return List.<TreeEntry>of();
                    }
                    JsonArray entries = InternalAnswers.data(r).getJsonArray("data", new JsonArray());
                    List<TreeEntry> result = new ArrayList<>(entries.size());
                    for (int i = 0; i < entries.size(); i++) {
                        result.add(convert(entries.getJsonObject(i), TreeEntry.class));
                    }
                    return result;
                });
    }

    @Override
    public Uni<Optional<byte[]>> file(long repoId, String ref, String path) {
        return call(client.request(HttpMethod.GET, SERVICE, "/internal/repos/" + repoId + "/file")
                .addQueryParam("ref", ref).addQueryParam("path", path).send())
                .map(r -> {
                    if (r.statusCode() == 404) {
                        return Optional.<byte[]>empty();
                    }
                    if (r.statusCode() / 100 != 2) {
                        throw InternalAnswers.error(r, InternalAnswers.json(r));
                    }
                    return Optional.of(r.body() == null ? new byte[0] : r.body().getBytes());
                });
    }

    private Uni<HttpResponse<Buffer>> call(Uni<HttpResponse<Buffer>> request) {
        return InternalAnswers.guard(request, "repo-service");
    }

    private <T> T convert(JsonObject json, Class<T> type) {
        return mapper.convertValue(json.getMap(), type);
    }
}
