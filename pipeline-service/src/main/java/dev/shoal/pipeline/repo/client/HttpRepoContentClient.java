package dev.shoal.pipeline.repo.client;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.platform.client.ServiceClient;
import dev.shoal.platform.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link RepoContentClient} over repo-service's internal API. */
@ApplicationScoped
public class HttpRepoContentClient implements RepoContentClient {

    private final ServiceClient client;

    public HttpRepoContentClient(ServiceClient client) {
        this.client = client;
    }

    @Override
    public Uni<Optional<Repo>> repo(long repoId) {
        return get("/internal/repos/" + repoId).map(r -> {
            if (r.statusCode() == 404) {
                return Optional.<Repo>empty();
            }
            JsonObject data = data(r).getJsonObject("data");
            return Optional.of(new Repo(data.getLong("id"), data.getLong("org_id"), data.getString("org"),
                    data.getString("name"), data.getBoolean("is_private", false), data.getString("default_branch", "main")));
        });
    }

    @Override
    public Uni<Optional<String>> resolve(long repoId, String ref) {
        return get("/internal/repos/" + repoId + "/resolve?ref=" + enc(ref)).map(r -> r.statusCode() == 404
                ? Optional.<String>empty()
                : Optional.of(data(r).getJsonObject("data").getString("sha")));
    }

    @Override
    public Uni<List<TreeEntry>> tree(long repoId, String ref, String path) {
        return get("/internal/repos/" + repoId + "/tree?ref=" + enc(ref) + "&path=" + enc(path)).map(r -> {
            List<TreeEntry> entries = new ArrayList<>();
            if (r.statusCode() == 404) {
                return entries;
            }
            JsonArray items = data(r).getJsonArray("data", new JsonArray());
            for (int i = 0; i < items.size(); i++) {
                JsonObject item = items.getJsonObject(i);
                entries.add(new TreeEntry(item.getString("name"), item.getBoolean("is_dir", false), item.getLong("size", 0L)));
            }
            return entries;
        });
    }

    @Override
    public Uni<Optional<byte[]>> file(long repoId, String ref, String path) {
        return get("/internal/repos/" + repoId + "/file?ref=" + enc(ref) + "&path=" + enc(path)).map(r -> {
            if (r.statusCode() == 404) {
                return Optional.<byte[]>empty();
            }
            if (r.statusCode() / 100 != 2) {
                data(r);
            }
            Buffer body = r.body();
            return Optional.of(body == null ? new byte[0] : body.getBytes());
        });
    }

    /** The internal API has no branch list; the Isurus one answers a service token for private repositories too. */
    @Override
    public Uni<List<String>> branches(Repo repo) {
        return branchPage(repo, 1, new ArrayList<>());
    }

    private Uni<List<String>> branchPage(Repo repo, int page, List<String> names) {
        return get("/api/v1/repos/" + enc(repo.org()) + "/" + enc(repo.name()) + "/branches?per_page=100&page=" + page)
                .chain(r -> {
                    if (r.statusCode() == 404) {
                        return Uni.createFrom().item(names);
                    }
                    JsonArray items = data(r).getJsonArray("data", new JsonArray());
                    for (int i = 0; i < items.size(); i++) {
                        names.add(items.getJsonObject(i).getString("name"));
                    }
                    return items.size() < 100 || page >= 50 ? Uni.createFrom().item(names) : branchPage(repo, page + 1, names);
                });
    }

    private Uni<HttpResponse<Buffer>> get(String path) {
        return client.request(HttpMethod.GET, "repo", path).send();
    }

    /** The JSON body of a 2xx answer; an error answer becomes the upstream's error. */
    private static JsonObject data(HttpResponse<Buffer> r) {
        JsonObject body = r.bodyAsJsonObject();
        if (r.statusCode() / 100 == 2) {
            return body == null ? new JsonObject() : body;
        }
        JsonObject error = body == null ? null : body.getJsonObject("error");
        throw new ApiException(502, "upstream_error", "repo-service answered " + r.statusCode()
                + (error == null ? "" : ": " + error.getString("message")));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
