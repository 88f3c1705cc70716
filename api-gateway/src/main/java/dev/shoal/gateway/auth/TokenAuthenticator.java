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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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
    /**
     * Bumped by every eviction. A lookup that started before an eviction does not cache what it
     * read: its row may predate the revocation or deactivation that was just committed, and caching
     * it would let the token work for another 10 s after the revoke was answered.
     */
    private final AtomicLong evictions = new AtomicLong();

    /**
     * What the table says of a token: {@code principal} null when no token has this hash (never issued,
     * or revoked: revoking deletes the row); {@code active} false when its user is deactivated.
     */
    private record Lookup(Principal principal, boolean active) {
        static final Lookup UNKNOWN = new Lookup(null, false);
    }

    private record Cached(Lookup lookup, long until) {
    }

    /** Why a presented token does not authenticate, so the caller can be told what to do about it. */
    public enum Refusal {
        /** Not a Shoal token at all (wrong shape). */
        MALFORMED,
        /** No such token: mistyped, or revoked. The two cannot be told apart, and need not be. */
        UNKNOWN,
        EXPIRED,
        USER_DEACTIVATED
    }

    /** A token's verdict: a principal, or why there is none. */
    public record Result(Principal principal, Refusal refusal, Instant expiredAt) {

        static Result of(Lookup lookup, Instant now) {
            Principal p = lookup.principal();
            if (p == null) {
                return new Result(null, Refusal.UNKNOWN, null);
            }
            if (!lookup.active()) {
                return new Result(null, Refusal.USER_DEACTIVATED, null);
            }
            if (p.expired(now)) {
                return new Result(null, Refusal.EXPIRED, p.expiresAt());
            }
            return new Result(p, null, null);
        }
    }

    public TokenAuthenticator(Pool pool) {
        this.pool = pool;
    }

    /** The principal, or the reason the token is refused: malformed, unknown or revoked, expired, or its user deactivated. */
    public Uni<Result> authenticate(String token) {
        if (!TokenCodec.looksValid(token)) {
            return Uni.createFrom().item(new Result(null, Refusal.MALFORMED, null));
        }
        byte[] hash = TokenCodec.hash(token);
        String key = HexFormat.of().formatHex(hash);
        long now = System.nanoTime();
        Cached cached = cache.get(key);
        if (cached != null && cached.until() - now > 0) {
            return Uni.createFrom().item(Result.of(cached.lookup(), Instant.now()));
        }
        long generation = evictions.get();
        // Deactivated users' tokens are read too (not filtered out in SQL), so the refusal can say why.
        return pool.preparedQuery("SELECT t.id, t.token_hash, t.scopes, t.expires_at, u.id AS user_id, u.username, u.is_admin, u.active "
                        + "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1")
                .execute(Tuple.tuple().addBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(hash)))
                .map(rows -> {
                    Lookup lookup = Lookup.UNKNOWN;
                    for (Row row : rows) {
                        if (MessageDigest.isEqual(hash, row.getBuffer("token_hash").getBytes())) {
                            lookup = new Lookup(toPrincipal(row), row.getBoolean("active"));
                        }
                    }
                    if (cache.size() > MAX_CACHED) {
                        cache.clear();
                    }
                    if (evictions.get() == generation) {
                        cache.put(key, new Cached(lookup, System.nanoTime() + CACHE_NANOS));
                    }
                    return Result.of(lookup, Instant.now());
                });
    }

    public void evictToken(long tokenId) {
        evictions.incrementAndGet();
        cache.values().removeIf(c -> c.lookup().principal() != null && c.lookup().principal().tokenId() == tokenId);
    }

    /** On any change of the user (deactivation, reactivation, admin flag), so the next request reads it anew. */
    public void evictUser(long userId) {
        evictions.incrementAndGet();
        cache.values().removeIf(c -> c.lookup().principal() != null && c.lookup().principal().userId() == userId);
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
