package dev.shoal.pipeline.repo.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.platform.client.ServiceClient;
import dev.shoal.platform.event.schema.RepoPushed;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link RepoContentClient} over repo-service's internal API. */
@ApplicationScoped
public class HttpRepoContentClient implements RepoContentClient {

    private static final String SERVICE = "repo";

    private final ServiceClient client;
    private final ObjectMapper mapper;

    public HttpRepoContentClient(ServiceClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    @Override
    public Uni<Optional<Repo>> repo(long repoId) {
        return client.find(SERVICE, "/internal/repos/" + repoId).map(found -> found.map(data -> new Repo(data.getLong("id"),
                data.getLong("org_id"), data.getString("org"), data.getString("name"), data.getBoolean("is_private", false),
                data.getString("default_branch", "main"))));
    }

    @Override
    public Uni<Optional<String>> resolve(long repoId, String ref) {
        return client.find(SERVICE, "/internal/repos/" + repoId + "/resolve?ref=" + enc(ref))
                .map(found -> found.map(data -> data.getString("sha")));
    }

    @Override
    public Uni<Optional<RepoPushed.Commit>> commit(long repoId, String ref) {
        return client.find(SERVICE, "/internal/repos/" + repoId + "/commits/" + enc(ref))
                .map(found -> found.map(data -> mapper.convertValue(data.getMap(), RepoPushed.Commit.class)));
    }

    @Override
    public Uni<List<TreeEntry>> tree(long repoId, String ref, String path) {
        return client.find(SERVICE, "/internal/repos/" + repoId + "/tree?ref=" + enc(ref) + "&path=" + enc(path)).map(found -> {
            List<TreeEntry> entries = new ArrayList<>();
            JsonArray items = found.map(data -> data.getJsonArray("data", new JsonArray())).orElseGet(JsonArray::new);
            for (int i = 0; i < items.size(); i++) {
                JsonObject item = items.getJsonObject(i);
                entries.add(new TreeEntry(item.getString("name"), item.getBoolean("is_dir", false), item.getLong("size", 0L)));
            }
            return entries;
        });
    }

    @Override
    public Uni<Optional<byte[]>> file(long repoId, String ref, String path) {
        return client.bytes(SERVICE, "/internal/repos/" + repoId + "/file?ref=" + enc(ref) + "&path=" + enc(path));
    }

    /** The internal API has no branch list; the Isurus one answers a service token for private repositories too. */
    @Override
    public Uni<List<String>> branches(Repo repo) {
        return branchPage(repo, 1, new ArrayList<>());
    }

    private Uni<List<String>> branchPage(Repo repo, int page, List<String> names) {
        return client.find(SERVICE, "/api/v1/repos/" + enc(repo.org()) + "/" + enc(repo.name()) + "/branches?per_page=100&page=" + page)
                .chain(found -> {
                    if (found.isEmpty()) {
                        return Uni.createFrom().item(names);
                    }
                    JsonArray items = found.get().getJsonArray("data", new JsonArray());
                    for (int i = 0; i < items.size(); i++) {
                        names.add(items.getJsonObject(i).getString("name"));
                    }
                    return items.size() < 100 || page >= 50 ? Uni.createFrom().item(names) : branchPage(repo, page + 1, names);
                });
    }

    private static String enc(String value) {
        return ServiceClient.encode(value);
    }
}
