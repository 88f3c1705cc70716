package dev.shoal.repo.compat.pagure.rest;

import dev.shoal.repo.repo.Repo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shoal repositories in Pagure's project shape. Shoal's organization is Pagure's namespace and owns
 * the project, so it also stands in Pagure's {@code user} and {@code access_users.owner}. Pagure
 * features Shoal does not have (project tags, priorities, custom keys, group access) are empty.
 */
final class PagureViews {

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

    static Map<String, Object> project(Repo repo, String publicUrl) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("access_groups", Map.of("admin", List.of(), "commit", List.of(), "ticket", List.of()));
        p.put("access_users", Map.of("admin", List.of(), "commit", List.of(), "owner", List.of(repo.org()), "ticket", List.of()));
        p.put("close_status", List.of());
        p.put("custom_keys", List.of());
        p.put("date_created", seconds(repo.createdAt()));
        p.put("date_modified", seconds(repo.updatedAt()));
        p.put("description", repo.description());
        p.put("fullname", repo.org() + "/" + repo.name());
        p.put("full_url", base(publicUrl) + "/" + repo.org() + "/" + repo.name());
        p.put("id", repo.id());
        p.put("milestones", Map.of());
        p.put("name", repo.name());
        p.put("namespace", repo.org());
        p.put("parent", null);
        p.put("priorities", Map.of());
        p.put("tags", List.of());
        p.put("url_path", repo.org() + "/" + repo.name());
        p.put("user", user(repo.org()));
        return p;
    }

    /** Pagure's {@code short=true} project: just enough to name it. */
    static Map<String, Object> shortProject(Repo repo) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("description", repo.description());
        p.put("fullname", repo.org() + "/" + repo.name());
        p.put("name", repo.name());
        p.put("namespace", repo.org());
        return p;
    }

    static String base(String publicUrl) {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }
}
