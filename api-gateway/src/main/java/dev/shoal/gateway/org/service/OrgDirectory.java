package dev.shoal.gateway.org.service;

import dev.shoal.gateway.org.Org;
import dev.shoal.gateway.org.repository.OrgRepository;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Organization and membership lookups for access checks, cached briefly. Organizations are never
 * renamed or deleted, so their cache is only refreshed on a miss; roles are evicted when they change
 * here and expire after a few seconds for changes made through another gateway replica.
 */
@ApplicationScoped
public class OrgDirectory {

    private static final long ROLE_NANOS = 5_000_000_000L;
    private static final int MAX_CACHED = 100_000;

    private final Pool pool;
    private final OrgRepository orgs;
    private final Map<String, Org> byName = new ConcurrentHashMap<>();
    private final Map<Long, Org> byId = new ConcurrentHashMap<>();
    private final Map<String, CachedRole> roles = new ConcurrentHashMap<>();

    private record CachedRole(String role, long until) {
    }

    public OrgDirectory(Pool pool, OrgRepository orgs) {
        this.pool = pool;
        this.orgs = orgs;
    }

    public Uni<Optional<Org>> org(String name) {
        Org cached = byName.get(name.toLowerCase(Locale.ROOT));
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached));
        }
        return orgs.byName(pool, name).invoke(found -> found.ifPresent(org -> {
            if (byName.size() < MAX_CACHED) {
                byName.put(org.name().toLowerCase(Locale.ROOT), org);
                byId.put(org.id(), org);
            }
        }));
    }

    /** An organization by id (Woodpecker's paths). */
    public Uni<Optional<Org>> orgById(long id) {
        Org cached = byId.get(id);
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached));
        }
        return orgs.byId(pool, id).invoke(found -> found.ifPresent(org -> {
            if (byName.size() < MAX_CACHED) {
                byName.put(org.name().toLowerCase(Locale.ROOT), org);
                byId.put(org.id(), org);
            }
        }));
    }

    /** The caller's role in the organization: owner, member or none. */
    public Uni<String> role(long orgId, long userId) {
        String key = orgId + ":" + userId;
        CachedRole cached = roles.get(key);
        if (cached != null && cached.until() - System.nanoTime() > 0) {
            return Uni.createFrom().item(cached.role());
        }
        return orgs.role(pool, orgId, userId).map(role -> {
            String value = role.orElse(Caller.NONE);
            if (roles.size() > MAX_CACHED) {
                roles.clear();
            }
            roles.put(key, new CachedRole(value, System.nanoTime() + ROLE_NANOS));
            return value;
        });
    }

    void forgetRole(long orgId, long userId) {
        roles.remove(orgId + ":" + userId);
    }
}
