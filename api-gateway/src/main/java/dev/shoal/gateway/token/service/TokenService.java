package dev.shoal.gateway.token.service;

import dev.shoal.gateway.auth.TokenAuthenticator;
import dev.shoal.gateway.token.ApiToken;
import dev.shoal.gateway.token.TokenCodec;
import dev.shoal.gateway.token.repository.TokenRepository;
import dev.shoal.gateway.user.repository.UserRepository;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ForbiddenException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.Scope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;

@ApplicationScoped
public class TokenService {

    private final Pool pool;
    private final TokenRepository tokens;
    private final UserRepository users;
    private final TokenAuthenticator authenticator;

    public TokenService(Pool pool, TokenRepository tokens, UserRepository users, TokenAuthenticator authenticator) {
        this.pool = pool;
        this.tokens = tokens;
        this.users = users;
        this.authenticator = authenticator;
    }

    public Uni<PageResponse<ApiToken>> list(long userId, PageRequest page) {
        return tokens.count(pool, userId).chain(total -> tokens.page(pool, userId, page.offset(), page.perPage())
                .map(list -> PageResponse.of(list, page, total)));
    }

    /**
     * Issues a token for {@code userId}. A caller cannot mint a token stronger than the one it
     * authenticated with, so a read token cannot bootstrap itself to admin.
     */
    public Uni<ApiToken> create(Caller caller, long userId, String name, List<String> rawScopes, OffsetDateTime expiresAt) {
        List<String> scopes = validScopes(rawScopes);
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new ValidationException("name must be 1-100 characters");
        }
        if (expiresAt != null && !expiresAt.toInstant().isAfter(Instant.now())) {
            throw new ValidationException("expires_at must be in the future, e.g. 2026-12-31T23:59:59Z");
        }
        for (String scope : scopes) {
            if (!caller.has(Scope.parse(scope).orElseThrow())) {
                throw new ForbiddenException("a token with scope '" + scope + "' can only be created by a caller whose token has it");
            }
        }
        String plaintext = TokenCodec.generate();
        return pool.withTransaction(tx -> insert(tx, userId, name.strip(), plaintext, scopes,
                        expiresAt == null ? null : expiresAt.toInstant()))
                .map(token -> token.withPlaintext(plaintext));
    }

    public Uni<ApiToken> createForUsername(Caller caller, String username, String name, List<String> scopes, OffsetDateTime expiresAt) {
        return users.byUsername(pool, username)
                .map(u -> u.orElseThrow(() -> new NotFoundException("user '" + username + "' not found")))
                .chain(user -> create(caller, user.id(), name, scopes, expiresAt));
    }

    /** Registers a known plaintext (the bootstrap admin token) unless it is already there. */
    public Uni<Void> ensure(SqlClient tx, long userId, String name, String plaintext) {
        byte[] hash = TokenCodec.hash(plaintext);
        return tokens.existsWithHash(tx, hash).chain(exists -> exists ? Uni.createFrom().voidItem()
                : insert(tx, userId, name, plaintext, List.of("read", "write", "admin"), null).replaceWithVoid());
    }

    public Uni<Void> revoke(long userId, long tokenId) {
        return tokens.delete(pool, userId, tokenId).map(deleted -> {
            if (!deleted) {
                throw new NotFoundException("token " + tokenId + " not found");
            }
            authenticator.evictToken(tokenId);
            return null;
        });
    }

    private Uni<ApiToken> insert(SqlClient tx, long userId, String name, String plaintext, List<String> scopes, Instant expiresAt) {
        return tokens.insert(tx, userId, name, TokenCodec.hash(plaintext), TokenCodec.lastEight(plaintext), scopes, expiresAt);
    }

    private static List<String> validScopes(List<String> raw) {
        if (raw == null || raw.isEmpty()) {
            throw new ValidationException("scopes must list at least one of read, write, admin");
        }
        LinkedHashSet<String> scopes = new LinkedHashSet<>();
        for (String scope : raw) {
            if (scope == null || Scope.parse(scope).isEmpty()) {
                throw new ValidationException("scopes must be chosen from read, write, admin; got '" + scope + "'");
            }
            scopes.add(scope);
        }
        return List.copyOf(scopes);
    }
}
