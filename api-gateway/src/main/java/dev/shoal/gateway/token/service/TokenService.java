package dev.shoal.gateway.token.service;

import dev.shoal.gateway.auth.Principal;
import dev.shoal.gateway.auth.TokenAuthenticator;
import dev.shoal.gateway.token.ApiToken;
import dev.shoal.gateway.token.TokenCodec;
import dev.shoal.gateway.token.repository.TokenRepository;
import dev.shoal.gateway.user.repository.UserRepository;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ApiException;
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
     * Issues a token for {@code userId}. A token never outranks or outlives the one that minted it
     * ({@code minter}, the caller's token): its scopes are among the minter's, and when the minter
     * expires it expires no later (an omitted {@code expiresAt} then takes the minter's). So neither a
     * read token nor a one-hour token can bootstrap itself to admin or to forever.
     */
    public Uni<ApiToken> create(Caller caller, Principal minter, long userId, String name, List<String> rawScopes,
                                OffsetDateTime expiresAt) {
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
        Instant expiry = expiresAt == null ? null : expiresAt.toInstant();
        Instant ceiling = minter == null ? null : minter.expiresAt();
        if (ceiling != null) {
            if (expiry == null) {
                expiry = ceiling;
            } else if (expiry.isAfter(ceiling)) {
                throw new ApiException(422, "validation_failed", "expires_at may be at most " + ceiling
                        + ": a token cannot outlive the token that creates it");
            }
        }
        String plaintext = TokenCodec.generate();
        Instant expires = expiry;
        return pool.withTransaction(tx -> insert(tx, userId, name.strip(), plaintext, scopes, expires))
                .map(token -> token.withPlaintext(plaintext));
    }

    public Uni<ApiToken> createForUsername(Caller caller, Principal minter, String username, String name, List<String> scopes,
                                           OffsetDateTime expiresAt) {
        return users.byUsername(pool, username)
                .map(u -> u.orElseThrow(() -> new NotFoundException("user '" + username + "' not found")))
                .chain(user -> create(caller, minter, user.id(), name, scopes, expiresAt));
    }

    /** Registers a known plaintext (the bootstrap admin token) unless it is already there. */
    public Uni<Void> ensure(SqlClient tx, long userId, String name, String plaintext) {
        byte[] hash = TokenCodec.hash(plaintext);
        return tokens.existsWithHash(tx, hash).chain(exists -> exists ? Uni.createFrom().voidItem()
                : insert(tx, userId, name, plaintext, List.of("read", "write", "admin"), null).replaceWithVoid());
    }

    /**
     * Revokes one of the caller's tokens, if the caller's token holds every scope of it: a leaked
     * read token must not be able to revoke its owner's admin tokens.
     */
    public Uni<Void> revoke(Caller caller, long userId, long tokenId) {
        return tokens.find(pool, userId, tokenId).chain(found -> {
            ApiToken token = found.orElseThrow(() -> new NotFoundException("token " + tokenId + " not found"));
            String lacking = lacking(caller, token);
            if (lacking != null) {
                throw new ForbiddenException("this token cannot revoke token " + tokenId + ": that one has the '" + lacking
                        + "' scope, which this token lacks; use a token with it");
            }
            return revoke(userId, tokenId);
        });
    }

    /** The first scope of {@code token} the caller's token does not hold, or null when it holds them all. */
    public static String lacking(Caller caller, ApiToken token) {
        for (String scope : token.scopes()) {
            if (Scope.parse(scope).map(s -> !caller.has(s)).orElse(true)) {
                return scope;
            }
        }
        return null;
    }

    /** Revokes without asking who may (the caller has been checked, or the system acts). */
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
