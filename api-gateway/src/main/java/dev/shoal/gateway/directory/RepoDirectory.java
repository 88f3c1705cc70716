package dev.shoal.gateway.directory;

import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's copy of which repositories exist and whether they are private, fed by
 * {@code shoal.repo} events. In memory first, then its table, then (for a repository whose event
 * has not arrived yet) one question to repo-service.
 */
@ApplicationScoped
public class RepoDirectory {

    private static final int MAX_CACHED = 200_000;

    private final Pool pool;
    private final ServiceClient services;
    private final Map<String, RepoEntry> byName = new ConcurrentHashMap<>();
    private final Map<Long, RepoEntry> byId = new ConcurrentHashMap<>();

    public RepoDirectory(Pool pool, ServiceClient services) {
        this.pool = pool;
        this.services = services;
    }

    public Uni<Optional<RepoEntry>> find(String org, String name) {
        RepoEntry cached = byName.get(key(org, name));
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached));
        }
        return pool.preparedQuery("SELECT id, org_id, org, name, is_private FROM repo_directory "
                        + "WHERE lower(org) = lower($1) AND lower(name) = lower($2)")
                .execute(Tuple.of(org, name))
                .chain(rows -> rows.rowCount() > 0
                        ? Uni.createFrom().item(Optional.of(from(rows.iterator().next())))
                        : askRepoService(org, name))
                .invoke(found -> found.ifPresent(this::remember));
    }

    /** A repository by id (Woodpecker's paths): memory, then the table, then repo-service. */
    public Uni<Optional<RepoEntry>> findById(long id) {
        RepoEntry cached = byId.get(id);
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached));
        }
        return pool.preparedQuery("SELECT id, org_id, org, name, is_private FROM repo_directory WHERE id = $1")
                .execute(Tuple.of(id))
                .chain(rows -> rows.rowCount() > 0
                        ? Uni.createFrom().item(Optional.of(from(rows.iterator().next())))
                        : services.find("repo", "/internal/repos/" + id)
                                .map(found -> found.filter(json -> json.getLong("id") != null && json.getLong("id") == id)
                                        .map(RepoDirectory::from)))
                .invoke(found -> found.ifPresent(this::remember));
    }

    /** Applies a repo.created/updated event (inside the consumer's transaction). */
    public Uni<Void> upsert(SqlClient tx, RepoEntry entry) {
        return tx.preparedQuery("INSERT INTO repo_directory (id, org_id, org, name, is_private) VALUES ($1, $2, $3, $4, $5) "
                        + "ON CONFLICT (id) DO UPDATE SET org_id = EXCLUDED.org_id, org = EXCLUDED.org, name = EXCLUDED.name, "
                        + "is_private = EXCLUDED.is_private, updated_at = now()")
                .execute(Tuple.of(entry.id(), entry.orgId(), entry.org(), entry.name(), entry.isPrivate()))
                .invoke(() -> remember(entry))
                .replaceWithVoid();
    }

    public Uni<Void> remove(SqlClient tx, long id) {
        return tx.preparedQuery("DELETE FROM repo_directory WHERE id = $1").execute(Tuple.of(id))
                // a deleted repository's deploy keys go with it, so their keys can be registered elsewhere
                .chain(() -> tx.preparedQuery("DELETE FROM ssh_keys WHERE repo_id = $1").execute(Tuple.of(id)))
                .invoke(() -> forget(id))
                .replaceWithVoid();
    }

    private Uni<Optional<RepoEntry>> askRepoService(String org, String name) {
        if (!org.matches("[A-Za-z0-9._-]+") || !name.matches("[A-Za-z0-9._-]+")) {
            return Uni.createFrom().item(Optional.empty());
        }
        return services.find("repo", "/internal/repos/by-name/" + org + "/" + name).map(found -> found.map(RepoDirectory::from));
    }

    private void remember(RepoEntry entry) {
        if (byName.size() > MAX_CACHED) {
            byName.clear();
            byId.clear();
        }
        forget(entry.id());
        byName.put(key(entry.org(), entry.name()), entry);
        byId.put(entry.id(), entry);
    }

    private void forget(long id) {
        RepoEntry old = byId.remove(id);
        if (old != null) {
            byName.remove(key(old.org(), old.name()));
        }
    }

    private static RepoEntry from(Row row) {
        return new RepoEntry(row.getLong("id"), row.getLong("org_id"), row.getString("org"), row.getString("name"),
                row.getBoolean("is_private"));
    }

    private static RepoEntry from(JsonObject json) {
        return new RepoEntry(json.getLong("id"), json.getLong("org_id"), json.getString("org"), json.getString("name"),
                json.getBoolean("is_private", true));
    }

    private static String key(String org, String name) {
        return org.toLowerCase(Locale.ROOT) + "/" + name.toLowerCase(Locale.ROOT);
    }
}
