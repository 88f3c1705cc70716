package dev.shoal.gateway.compat.pagure.service;

import dev.shoal.gateway.access.AccessPolicy;
import dev.shoal.gateway.directory.RepoDirectory;
import dev.shoal.gateway.directory.RepoEntry;
import dev.shoal.gateway.compat.pagure.PagureConfig;
import dev.shoal.gateway.compat.pagure.PagurePaths;
import dev.shoal.gateway.route.Route;
import dev.shoal.gateway.route.RouteTable;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which audit-log entries a viewer may see in a user's public activity. An entry names a
 * repository through its path (e.g. {@code POST /api/v1/repos/acme/secret/issues}); an entry on a
 * private repository the viewer may not read is left out, as the repository itself would be 404 to
 * them. Entries on a repository the gateway no longer knows (deleted) are left out too, since their
 * privacy cannot be told; entries naming no repository (organizations, tokens) are kept.
 */
@ApplicationScoped
public class ActivityVisibility {

    private final RouteTable table = RouteTable.load();
    private final AccessPolicy policy;
    private final RepoDirectory repos;
    private final PagureConfig pagure;

    public ActivityVisibility(AccessPolicy policy, RepoDirectory repos, PagureConfig pagure) {
        this.policy = policy;
        this.repos = repos;
        this.pagure = pagure;
    }

    /** What an entry says it acted on. */
    public record Target(String method, String route, String path) {
    }

    /** The entries {@code viewer} may see, in order; each repository is looked up once per call. */
    public <T> Uni<List<T>> visible(Caller viewer, List<T> entries, Function<T, Target> target) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<String, Boolean> decided = new HashMap<>();
        return Multi.createFrom().iterable(entries)
                .onItem().transformToUniAndConcatenate(entry -> visible(viewer, target.apply(entry), decided)
                        .map(ok -> ok ? Optional.of(entry) : Optional.<T>empty()))
                .filter(Optional::isPresent).map(Optional::get)
                .collect().asList();
    }

    private Uni<Boolean> visible(Caller viewer, Target target, Map<String, Boolean> decided) {
        Map<String, String> params = params(target);
        if (params == null) {
            // A route that left the table since: nothing tells which repository it was on.
            return Uni.createFrom().item(false);
        }
        String key;
        Uni<Optional<RepoEntry>> lookup;
        if (params.containsKey("repo_id")) {
            key = "#" + params.get("repo_id");
            lookup = repos.findById(Long.parseLong(params.get("repo_id")));
        } else if (params.containsKey("repo") && params.containsKey("org")) {
            key = params.get("org") + "/" + params.get("repo");
            lookup = repos.find(params.get("org"), params.get("repo"));
        } else {
            return Uni.createFrom().item(true);
        }
        Boolean known = decided.get(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return lookup.chain(repo -> repo.isEmpty() ? Uni.createFrom().item(false) : policy.mayRead(viewer, repo.get()))
                .invoke(ok -> decided.put(key, ok));
    }

    /** The path parameters of the entry's route, or null when no route of the table has that pattern and method. */
    private Map<String, String> params(Target target) {
        String path = PagurePaths.canonical(target.path(), pagure.defaultNamespace());
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        String[] segments = path.substring(1).split("/", -1);
        for (Route route : table.routes()) {
            if (route.method().equals(target.method()) && route.pattern().text().equals(target.route())) {
                return route.pattern().match(segments, Map.of());
            }
        }
        return null;
    }
}
