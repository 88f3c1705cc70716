package dev.shoal.pipeline.repo.service;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.client.RepoContentClient;
import dev.shoal.platform.error.NotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The repositories this service knows, kept from repo.* events. When a route names a repository the
 * events have not brought yet, the gateway's repo id lets us ask repo-service once and remember.
 */
@ApplicationScoped
public class RepoDirectory {

    private static final String COLUMNS = "id, org_id, org, name, is_private, default_branch";

    private final Pool pool;
    private final RepoContentClient client;

    public RepoDirectory(Pool pool, RepoContentClient client) {
        this.pool = pool;
        this.client = client;
    }

    /** The repository named by a route; {@code repoIdHint} is the gateway's repo id claim, if any. */
    public Uni<Repo> require(String org, String name, Long repoIdHint) {
        return byName(pool, org, name).chain(found -> {
            if (found.isPresent()) {
                // the gateway vouched for a repository id: the path must name that one (ADR 0006)
                if (repoIdHint != null && repoIdHint != found.get().id()) {
                    return Uni.createFrom().failure(notFound(org, name));
                }
                return Uni.createFrom().item(found.get());
            }
            if (repoIdHint == null) {
                return Uni.createFrom().failure(notFound(org, name));
            }
            return client.repo(repoIdHint).chain(remote -> {
                if (remote.isEmpty() || !remote.get().org().equals(org) || !remote.get().name().equals(name)) {
                    return Uni.createFrom().failure(notFound(org, name));
                }
                return pool.withTransaction(tx -> upsert(tx, remote.get())).replaceWith(remote.get());
            });
        });
    }

    /**
     * The repository a route names by numeric id (Woodpecker's paths). The gateway resolved the id
     * and vouches for it in the repo id claim; a path id that differs from the claim is refused.
     */
    public Uni<Repo> requireById(String rawId, Long repoIdClaim) {
        long id;
        try {
            id = Long.parseLong(rawId);
        } catch (NumberFormatException e) {
            return Uni.createFrom().failure(new NotFoundException("repository id must be a number, got '"
                    + (rawId.length() > 20 ? rawId.substring(0, 20) + "…" : rawId) + "'"));
        }
        if (repoIdClaim == null || repoIdClaim != id) {
            return Uni.createFrom().failure(new NotFoundException("repository " + id + " not found"));
        }
        return byId(pool, id).chain(found -> {
            if (found.isPresent()) {
                return Uni.createFrom().item(found.get());
            }
            return client.repo(id).chain(remote -> remote.isEmpty()
                    ? Uni.createFrom().failure(new NotFoundException("repository " + id + " not found"))
                    : pool.withTransaction(tx -> upsert(tx, remote.get())).replaceWith(remote.get()));
        });
    }

    /**
     * Reads repository {@code id} again from repo-service and keeps what it says: its current name,
     * visibility and default branch, or, when repo-service no longer has it, marks it deleted.
     * Answers the repository as it is now, empty when it is gone.
     */
    public Uni<Optional<Repo>> refresh(long id) {
        return client.repo(id).chain(remote -> pool.withTransaction(tx -> remote.isPresent()
                ? upsert(tx, remote.get()).replaceWith(remote)
                : markDeleted(tx, id).replaceWith(remote)));
    }

    public Uni<Optional<Repo>> byId(SqlClient client, long id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM repos WHERE id = $1 AND NOT deleted")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.<Repo>empty() : Optional.of(map(rows.iterator().next())));
    }

    /** Every known repository, by id (the site admin's list). */
    public Uni<java.util.List<Repo>> list(int limit, long offset) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM repos WHERE NOT deleted ORDER BY id LIMIT $1 OFFSET $2")
                .execute(Tuple.of(limit, offset))
                .map(rows -> {
                    java.util.List<Repo> list = new java.util.ArrayList<>();
                    rows.forEach(r -> list.add(map(r)));
                    return list;
                });
    }

    public Uni<Optional<Repo>> byName(SqlClient client, String org, String name) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM repos WHERE org = $1 AND name = $2 AND NOT deleted")
                .execute(Tuple.of(org, name))
                .map(rows -> rows.size() == 0 ? Optional.<Repo>empty() : Optional.of(map(rows.iterator().next())));
    }

    public Uni<Void> upsert(SqlClient tx, Repo repo) {
        // A rename frees the old name for another repository, so drop any stale holder of the new one first.
        return tx.preparedQuery("UPDATE repos SET deleted = true WHERE org = $1 AND name = $2 AND id <> $3 AND NOT deleted")
                .execute(Tuple.of(repo.org(), repo.name(), repo.id()))
                .chain(() -> tx.preparedQuery("INSERT INTO repos (" + COLUMNS + ", deleted) VALUES ($1, $2, $3, $4, $5, $6, false) "
                                + "ON CONFLICT (id) DO UPDATE SET org_id = COALESCE(EXCLUDED.org_id, repos.org_id), org = EXCLUDED.org, "
                                + "name = EXCLUDED.name, is_private = EXCLUDED.is_private, "
                                + "default_branch = EXCLUDED.default_branch, deleted = false")
                        .execute(Tuple.from(new Object[] {repo.id(), repo.orgId(), repo.org(), repo.name(), repo.isPrivate(),
                                repo.defaultBranch() == null ? "main" : repo.defaultBranch()})))
                .replaceWithVoid();
    }

    /** Records the repository of an event envelope without touching a default branch already known. */
    public Uni<Void> remember(SqlClient tx, long id, String org, String name, boolean isPrivate) {
        return tx.preparedQuery("UPDATE repos SET deleted = true WHERE org = $1 AND name = $2 AND id <> $3 AND NOT deleted")
                .execute(Tuple.of(org, name, id))
                .chain(() -> tx.preparedQuery("INSERT INTO repos (id, org, name, is_private) VALUES ($1, $2, $3, $4) "
                                + "ON CONFLICT (id) DO UPDATE SET org = EXCLUDED.org, name = EXCLUDED.name, is_private = EXCLUDED.is_private")
                        .execute(Tuple.of(id, org, name, isPrivate)))
                .replaceWithVoid();
    }

    public Uni<Void> markDeleted(SqlClient tx, long id) {
        return tx.preparedQuery("UPDATE repos SET deleted = true WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    public static Repo map(Row row) {
        return new Repo(row.getLong("id"), row.getLong("org_id"), row.getString("org"), row.getString("name"),
                row.getBoolean("is_private"), row.getString("default_branch"));
    }

    private static NotFoundException notFound(String org, String name) {
        return new NotFoundException("repository " + org + "/" + name + " not found");
    }
}
