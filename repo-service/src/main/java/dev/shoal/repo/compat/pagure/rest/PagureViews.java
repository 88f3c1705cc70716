package dev.shoal.repo.compat.pagure.rest;

import dev.shoal.platform.config.PublicUrl;
import dev.shoal.repo.compat.pagure.PagureProject;
import dev.shoal.repo.compat.pagure.service.PagureProjectService.Project;
import dev.shoal.repo.repo.Repo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shoal repositories in Pagure's project shape. Shoal's organization is Pagure's namespace (the
 * default namespace shows as {@code null}); Pagure's owner is the main admin, a fork's user, or, for
 * repositories made outside Pagure's API, the organization. A fork (Shoal repository
 * {@code <repo>--fork--<user>}) shows as {@code fork/<user>/[<ns>/]<repo>} with its parent.
 */
public final class PagureViews {

    private PagureViews() {
    }

    static String seconds(Instant instant) {
        return instant == null ? null : String.valueOf(instant.getEpochSecond());
    }

    static Map<String, Object> user(String name) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("fullname", name);
        user.put("name", name);
        return user;
    }

    /** Pagure's namespace of a repository: null in the default namespace. */
    static String namespace(Repo repo, String defaultNamespace) {
        return repo.org().equalsIgnoreCase(defaultNamespace) ? null : repo.org();
    }

    /** The project's own name: a fork's Shoal name without its {@code --fork--<user>} suffix. */
    static String name(Repo repo, PagureProject data) {
        String suffix = "--fork--" + data.forkUser();
        return data.isFork() && repo.name().toLowerCase().endsWith(suffix.toLowerCase())
                ? repo.name().substring(0, repo.name().length() - suffix.length()) : repo.name();
    }

    static String urlPath(Repo repo, PagureProject data, String defaultNamespace) {
        String ns = namespace(repo, defaultNamespace);
        String path = (ns == null ? "" : ns + "/") + name(repo, data);
        return data.isFork() ? "fork/" + data.forkUser() + "/" + path : path;
    }

    public static Map<String, Object> project(Project project, PublicUrl publicUrl, String defaultNamespace) {
        Repo repo = project.repo();
        PagureProject data = project.data();
        String ns = namespace(repo, defaultNamespace);
        String path = (ns == null ? "" : ns + "/") + name(repo, data);
        String owner = data.owner() != null ? data.owner() : repo.org();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("access_groups", data.byLevel("group"));
        Map<String, Object> users = new LinkedHashMap<>(data.byLevel("user"));
        users.put("owner", List.of(owner));
        p.put("access_users", users);
        p.put("close_status", List.of());
        p.put("custom_keys", List.of());
        p.put("date_created", seconds(repo.createdAt()));
        p.put("date_modified", seconds(repo.updatedAt()));
        p.put("description", repo.description());
        p.put("fullname", data.isFork() ? "forks/" + data.forkUser() + "/" + path : path);
        p.put("full_url", publicUrl.resolve("/" + repo.org() + "/" + repo.name()));
        p.put("id", repo.id());
        p.put("milestones", Map.of());
        p.put("name", name(repo, data));
        p.put("namespace", ns);
        p.put("parent", project.parent() == null ? null : project(project.parent(), publicUrl, defaultNamespace));
        p.put("priorities", Map.of());
        p.put("tags", new ArrayList<>(data.tags()));
        p.put("url_path", urlPath(repo, data, defaultNamespace));
        p.put("user", user(owner));
        return p;
    }

    /** Pagure's {@code short=true} project: just enough to name it. */
    static Map<String, Object> shortProject(Project project, String defaultNamespace) {
        Repo repo = project.repo();
        PagureProject data = project.data();
        String ns = namespace(repo, defaultNamespace);
        String path = (ns == null ? "" : ns + "/") + name(repo, data);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("description", repo.description());
        p.put("fullname", data.isFork() ? "forks/" + data.forkUser() + "/" + path : path);
        p.put("name", name(repo, data));
        p.put("namespace", ns);
        return p;
    }
}
