package dev.shoal.repo.compat.pagure.repository;

import dev.shoal.repo.compat.pagure.PagureProject;
import dev.shoal.repo.compat.pagure.PagureProject.Acl;
import dev.shoal.repo.compat.pagure.PagureTask;
import dev.shoal.repo.compat.pagure.ProjectSearch;
import dev.shoal.repo.compat.pagure.Watch;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL for the Pagure tables (pagure_project, pagure_acl, pagure_watcher, pagure_task). */
@ApplicationScoped
public class PagureRepository {

    private static final String OWNER = "coalesce(p.main_admin, p.fork_user, r.org)";
    private static final String WHERE = " FROM repository r LEFT JOIN pagure_project p ON p.repo_id = r.id WHERE r.is_private = false"
            + " AND ($1::text IS NULL OR lower(r.org) = lower($1))"
            + " AND ($2::text IS NULL OR lower(r.name) LIKE lower($2))"
            + " AND ($3::text IS NULL OR lower(" + OWNER + ") = lower($3))"
            + " AND ($4::text IS NULL OR lower(" + OWNER + ") <> lower($4))"
            + " AND ($5::boolean IS NULL OR (p.fork_user IS NOT NULL) = $5)"
            + " AND ($6::text[] IS NULL OR coalesce(p.tags, '{}') && $6)"
            + " AND ($7::text IS NULL OR lower(coalesce(p.main_admin, p.fork_user, '')) = lower($7) OR EXISTS (SELECT 1 FROM pagure_acl a"
            + " WHERE a.repo_id = r.id AND a.kind = 'user' AND lower(a.name) = lower($7) AND a.level IN ('commit', 'admin')))"
            + " AND ($8::text IS NULL OR ('admin' = ANY($9) AND lower(r.org) = lower($8)) OR EXISTS (SELECT 1 FROM pagure_acl g"
            + " WHERE g.repo_id = r.id AND g.kind = 'group' AND lower(g.name) = lower($8) AND g.level = ANY($9)))";

    public Uni<List<Long>> search(SqlClient db, ProjectSearch s, long offset, int limit) {
        Tuple args = args(s).addInteger(limit).addLong(offset);
        return db.preparedQuery("SELECT r.id" + WHERE + " ORDER BY lower(r.org), lower(r.name), r.id LIMIT $10 OFFSET $11")
                .execute(args).map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getLong(0)));
                    return ids;
                });
    }

    public Uni<Long> count(SqlClient db, ProjectSearch s) {
        return db.preparedQuery("SELECT count(*)" + WHERE).execute(args(s)).map(rows -> rows.iterator().next().getLong(0));
    }

    private static Tuple args(ProjectSearch s) {
        return Tuple.tuple(Arrays.asList(s.namespace(), s.namePattern(), s.owner(), s.notOwner(), s.fork(),
                s.tags() == null ? null : s.tags().toArray(String[]::new), s.username(), s.group(),
                (s.groupLevels() == null ? List.of("ticket", "commit", "admin") : s.groupLevels()).toArray(String[]::new)));
    }

    /** The Pagure data of these repositories (every id gets an entry; plain repositories get {@link PagureProject#none}). */
    public Uni<Map<Long, PagureProject>> load(SqlClient db, List<Long> ids) {
        Long[] array = ids.toArray(Long[]::new);
        return db.preparedQuery("SELECT repo_id, main_admin, parent_id, fork_user, settings, blocked_users, tags FROM pagure_project "
                        + "WHERE repo_id = ANY($1)").execute(Tuple.of(array))
                .chain(rows -> {
                    Map<Long, PagureProject> out = new LinkedHashMap<>();
                    ids.forEach(id -> out.put(id, PagureProject.none(id)));
                    rows.forEach(r -> out.put(r.getLong("repo_id"), map(r)));
                    return db.preparedQuery("SELECT repo_id, kind, name, level FROM pagure_acl WHERE repo_id = ANY($1) ORDER BY kind, lower(name)")
                            .execute(Tuple.of(array)).map(acls -> {
                                Map<Long, List<Acl>> byRepo = new HashMap<>();
                                acls.forEach(a -> byRepo.computeIfAbsent(a.getLong("repo_id"), k -> new ArrayList<>())
                                        .add(new Acl(a.getString("kind"), a.getString("name"), a.getString("level"))));
                                byRepo.forEach((id, list) -> out.computeIfPresent(id, (k, p) -> p.withAcls(list)));
                                return out;
                            });
                });
    }

    public Uni<PagureProject> load(SqlClient db, long id) {
        return load(db, List.of(id)).map(all -> all.get(id));
    }

    /** Makes sure the repository has a pagure_project row (plain repositories get one on their first Pagure change). */
    public Uni<Void> ensure(SqlClient db, long repoId) {
        return db.preparedQuery("INSERT INTO pagure_project (repo_id) VALUES ($1) ON CONFLICT (repo_id) DO NOTHING")
                .execute(Tuple.of(repoId)).replaceWithVoid();
    }

    public Uni<Void> insert(SqlClient db, long repoId, String mainAdmin, Long parentId, String forkUser) {
        return db.preparedQuery("INSERT INTO pagure_project (repo_id, main_admin, parent_id, fork_user) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(repoId, mainAdmin, parentId, forkUser)).replaceWithVoid();
    }

    public Uni<Void> setMainAdmin(SqlClient db, long repoId, String login) {
        return ensure(db, repoId).chain(() -> db.preparedQuery("UPDATE pagure_project SET main_admin = $2 WHERE repo_id = $1").execute(Tuple.of(repoId, login)))
                .replaceWithVoid();
    }

    public Uni<Void> setTags(SqlClient db, long repoId, List<String> tags) {
        return ensure(db, repoId).chain(() -> db.preparedQuery("UPDATE pagure_project SET tags = $2 WHERE repo_id = $1")
                .execute(Tuple.of(repoId, tags.toArray(String[]::new)))).replaceWithVoid();
    }

    public Uni<Void> setSettings(SqlClient db, long repoId, JsonObject settings) {
        return ensure(db, repoId).chain(() -> db.preparedQuery("UPDATE pagure_project SET settings = $2 WHERE repo_id = $1")
                .execute(Tuple.of(repoId, settings))).replaceWithVoid();
    }

    public Uni<Void> setBlocked(SqlClient db, long repoId, List<String> logins) {
        return ensure(db, repoId).chain(() -> db.preparedQuery("UPDATE pagure_project SET blocked_users = $2 WHERE repo_id = $1")
                .execute(Tuple.of(repoId, logins.toArray(String[]::new)))).replaceWithVoid();
    }

    /** Sets (level non-null) or removes (level null) one ACL entry; names compare without case. */
    public Uni<Void> setAcl(SqlClient db, long repoId, String kind, String name, String level) {
        Uni<?> removed = db.preparedQuery("DELETE FROM pagure_acl WHERE repo_id = $1 AND kind = $2 AND lower(name) = lower($3)")
                .execute(Tuple.of(repoId, kind, name));
        return level == null ? removed.replaceWithVoid()
                : removed.chain(() -> db.preparedQuery("INSERT INTO pagure_acl (repo_id, kind, name, level) VALUES ($1, $2, $3, $4)")
                        .execute(Tuple.of(repoId, kind, name, level))).replaceWithVoid();
    }

    public Uni<List<Watch>> watches(SqlClient db, long repoId) {
        return db.preparedQuery("SELECT username, issues, commits FROM pagure_watcher WHERE repo_id = $1 ORDER BY lower(username)")
                .execute(Tuple.of(repoId)).map(rows -> {
                    List<Watch> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Watch(r.getString(0), r.getBoolean(1), r.getBoolean(2))));
                    return out;
                });
    }

    /** Records a watch choice; null issues/commits (Pagure's -1) forgets it, so the default applies again. */
    public Uni<Void> setWatch(SqlClient db, long repoId, String username, Boolean issues, Boolean commits) {
        Uni<?> removed = db.preparedQuery("DELETE FROM pagure_watcher WHERE repo_id = $1 AND lower(username) = lower($2)")
                .execute(Tuple.of(repoId, username));
        return issues == null ? removed.replaceWithVoid()
                : removed.chain(() -> db.preparedQuery("INSERT INTO pagure_watcher (repo_id, username, issues, commits) VALUES ($1, $2, $3, $4)")
                        .execute(Tuple.of(repoId, username, issues, commits))).replaceWithVoid();
    }

    public Uni<Void> insertTask(SqlClient db, UUID id, String kind, Long userId, String status, String message) {
        return db.preparedQuery("INSERT INTO pagure_task (id, kind, user_id, status, message, finished_at) "
                        + "VALUES ($1, $2, $3, $4, $5, CASE WHEN $4 = 'PENDING' THEN NULL ELSE now() END)")
                .execute(Tuple.of(id, kind, userId, status, message)).replaceWithVoid();
    }

    public Uni<Void> finishTask(SqlClient db, UUID id, String status, String message) {
        return db.preparedQuery("UPDATE pagure_task SET status = $2, message = $3, finished_at = now() WHERE id = $1")
                .execute(Tuple.of(id, status, message)).replaceWithVoid();
    }

    public Uni<PagureTask> task(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT id, kind, user_id, status, message, created_at, finished_at FROM pagure_task WHERE id = $1")
                .execute(Tuple.of(id)).map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row r = it.next();
                    return new PagureTask(r.getUUID("id"), r.getString("kind"), r.getLong("user_id"), r.getString("status"),
                            r.getString("message"), r.getOffsetDateTime("created_at").toInstant(),
                            r.getOffsetDateTime("finished_at") == null ? null : r.getOffsetDateTime("finished_at").toInstant());
                });
    }

    private static PagureProject map(Row r) {
        Object settings = r.getValue("settings");
        JsonObject json = settings instanceof JsonObject o ? o : settings == null ? new JsonObject() : new JsonObject(settings.toString());
        return new PagureProject(r.getLong("repo_id"), r.getString("main_admin"), r.getLong("parent_id"), r.getString("fork_user"),
                json, List.of(r.getArrayOfStrings("blocked_users")), List.of(r.getArrayOfStrings("tags")), List.of());
    }
}
