package dev.shoal.issue.repo.service;

import dev.shoal.issue.client.RepoGateway;
import dev.shoal.issue.repo.RepoRecord;
import dev.shoal.issue.repo.repository.RepoRecords;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds the repository a request is about. Its id comes from the gateway's internal JWT (the
 * gateway already resolved {org}/{repo} and checked access); this service keeps its own row,
 * created on the first write from repo-service's answer and kept fresh by repo events.
 */
@ApplicationScoped
public class RepoScopes {

    private final Pool pool;
    private final RepoRecords records;
    private final RepoGateway repos;
    private final RepoRowCache cache;

    public RepoScopes(Pool pool, RepoRecords records, RepoGateway repos, RepoRowCache cache) {
        this.pool = pool;
        this.records = records;
        this.repos = repos;
        this.cache = cache;
    }

    /** For reads: a repository never written to is simply empty, no remote call needed. */
    public Uni<RepoRecord> forRead(Caller caller, String org, String name) {
        long id = requireRepoId(caller, org, name);
        return cache.find(id, () -> records.find(pool, id).map(row -> row
                .map(found -> new RepoRowCache.Stored(RepoRecords.map(found), found.getOffsetDateTime("deleted_at") != null))
                .orElse(null))).map(stored -> {
            if (stored == null) {
                return new RepoRecord(id, org, name, false, "main", 0, 0, false);
            }
            if (stored.deleted()) {
                throw notFound(org, name);
            }
            RepoRecord known = stored.repo();
            // The token's repository must be the one the path names (ADR 0006): a token vouching for
            // one repository replayed on another's path finds nothing there.
            if (!known.org().equalsIgnoreCase(org) || !known.name().equalsIgnoreCase(name)) {
                throw notFound(org, name);
            }
            return known;
        });
    }

    /** For writes: makes sure the row exists (asking repo-service once), so numbers can be taken. */
    public Uni<RepoRecord> forWrite(Caller caller, String org, String name) {
        return forRead(caller, org, name).chain(repo -> {
            if (repo.known()) {
                return Uni.createFrom().item(repo);
            }
            return repos.repo(repo.id())
                    .chain(info -> records.insertIfMissing(pool, info))
                    .chain(() -> forRead(caller, org, name));
        });
    }

    private static long requireRepoId(Caller caller, String org, String name) {
        if (caller.repoId() == null) {
            throw notFound(org, name);
        }
        return caller.repoId();
    }

    private static NotFoundException notFound(String org, String name) {
        return new NotFoundException("repository " + org + "/" + name + " not found");
    }
}
