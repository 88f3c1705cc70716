package dev.shoal.repo.compat.pagure;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What Pagure knows about a project beyond Shoal's repository row: its main admin, fork origin,
 * options, blocked users, project tags and ACLs. {@link #NONE} is a plain Shoal repository (owned by
 * its organization, no ACLs).
 */
public record PagureProject(long repoId, String mainAdmin, Long parentId, String forkUser, JsonObject settings,
                            List<String> blocked, List<String> tags, List<Acl> acls) {

    public static final List<String> LEVELS = List.of("ticket", "commit", "admin");

    public static PagureProject none(long repoId) {
        return new PagureProject(repoId, null, null, null, new JsonObject(), List.of(), List.of(), List.of());
    }

    public record Acl(String kind, String name, String level) {
    }

    public boolean isFork() {
        return forkUser != null;
    }

    /** Pagure's owner: the main admin (a fork's user until it is given away); null when the organization owns it. */
    public String owner() {
        return mainAdmin != null ? mainAdmin : forkUser;
    }

    public PagureProject withAcls(List<Acl> list) {
        return new PagureProject(repoId, mainAdmin, parentId, forkUser, settings, blocked, tags, list);
    }

    /** Users or groups by level, Pagure's access_users/access_groups (without "owner"). */
    public Map<String, List<String>> byLevel(String kind) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String level : List.of("admin", "commit", "ticket")) {
            out.put(level, acls.stream().filter(a -> a.kind().equals(kind) && a.level().equals(level)).map(Acl::name).sorted().toList());
        }
        return out;
    }
}
