package dev.shoal.gateway.auth;

import dev.shoal.gateway.token.TokenCodec;
import dev.shoal.platform.identity.Scope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a presented token into a {@link Principal}. Tokens are found by their SHA-256 and the stored
 * hash is compared in constant time. Answers are cached for a few seconds; revoking a token or
 * deactivating a user evicts it here at once.
 */
@ApplicationScoped
public class TokenAuthenticator {

    private static final long CACHE_NANOS = 10_000_000_000L;
    private static final int MAX_CACHED = 100_000;

    private final Pool pool;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Principal> principal, long until) {
    }

    public TokenAuthenticator(Pool pool) {
        this.pool = pool;
    }

    /** The principal, or empty when the token is unknown, expired, revoked or its user deactivated. */
    public Uni<Optional<Principal>> authenticate(String token) {
        if (!TokenCodec.looksValid(token)) {
            return Uni.createFrom().item(Optional.empty());
        }
        byte[] hash = TokenCodec.hash(token);
        String key = HexFormat.of().formatHex(hash);
        long now = System.nanoTime();
        Cached cached = cache.get(key);
        if (cached != null && cached.until() - now > 0) {
            return Uni.createFrom().item(cached.principal().filter(p -> !p.expired(Instant.now())));
        }
        return pool.preparedQuery("SELECT t.id, t.token_hash, t.scopes, t.expires_at, u.id AS user_id, u.username, u.is_admin "
                        + "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND u.active")
                .execute(Tuple.tuple().addBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(hash)))
                .map(rows -> {
                    Optional<Principal> principal = Optional.empty();
                    for (Row row : rows) {
                        if (MessageDigest.isEqual(hash, row.getBuffer("token_hash").getBytes())) {
                            principal = Optional.of(toPrincipal(row));
                        }
                    }
                    if (cache.size() > MAX_CACHED) {
                        cache.clear();
                    }
                    cache.put(key, new Cached(principal, System.nanoTime() + CACHE_NANOS));
                    return principal.filter(p -> !p.expired(Instant.now()));
                });
    }

    public void evictToken(long tokenId) {
        cache.values().removeIf(c -> c.principal().map(p -> p.tokenId() == tokenId).orElse(false));
    }

    public void evictUser(long userId) {
        cache.values().removeIf(c -> c.principal().map(p -> p.userId() == userId).orElse(false));
    }

    private static Principal toPrincipal(Row row) {
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String raw : row.getArrayOfStrings("scopes")) {
            Scope.parse(raw).ifPresent(scopes::add);
        }
        OffsetDateTime expires = row.getOffsetDateTime("expires_at");
        return new Principal(row.getLong("user_id"), row.getString("username"), row.getBoolean("is_admin"),
                scopes, row.getLong("id"), expires == null ? null : expires.toInstant());
    }
}
