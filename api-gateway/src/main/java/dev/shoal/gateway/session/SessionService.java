package dev.shoal.gateway.session;

import dev.shoal.gateway.token.TokenCodec;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.UnauthorizedException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.gateway.user.repository.UserRepository;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Passwords (bcrypt) and the sessions a sign-in creates. A session is an api_tokens row of kind
 * {@code session}: it expires after {@link #SESSION_LIFETIME}, is listed among the user's tokens and is
 * revoked like any token, so the gateway authenticates it exactly like a personal access token.
 */
@ApplicationScoped
public class SessionService {

    static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    static final String SESSION_NAME = "web session";
    private static final int BCRYPT_COST = 10;
    /** Compared against when the account does not exist, so an unknown name takes as long as a wrong password. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("not a password of anyone", BCRYPT_COST);

    private final Pool pool;
    private final PasswordRepository passwords;
    private final UserRepository users;
    private final LoginThrottle throttle;

    public SessionService(Pool pool, PasswordRepository passwords, UserRepository users, LoginThrottle throttle) {
        this.pool = pool;
        this.passwords = passwords;
        this.users = users;
        this.throttle = throttle;
    }

    public record Session(long id, String token, Instant expiresAt, String username) {
    }

    public Uni<Session> signIn(String username, String password, String address) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new ValidationException("username and password are both required");
        }
        String name = username.strip();
        long wait = throttle.waitSeconds(name, address);
        if (wait > 0) {
            return Uni.createFrom().failure(new TooManyAttempts(wait));
        }
        return passwords.account(pool, name)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(account -> {
                    // bcrypt runs on a worker thread: it takes tens of milliseconds by design.
                    boolean matches = BcryptUtil.matches(password, account.map(a -> a.hash() == null ? DUMMY_HASH : a.hash())
                            .orElse(DUMMY_HASH));
                    if (account.isEmpty() || account.get().hash() == null || !account.get().active() || !matches) {
                        throttle.failed(name, address);
                        throw new UnauthorizedException("wrong username or password");
                    }
                    throttle.succeeded(name);
                    return account.get();
                })
                .chain(account -> insertSession(account));
    }

    private Uni<Session> insertSession(PasswordRepository.Account account) {
        String plaintext = TokenCodec.generate();
        Instant expires = Instant.now().plus(SESSION_LIFETIME);
        List<String> scopes = account.admin() ? List.of("read", "write", "admin") : List.of("read", "write");
        return pool.preparedQuery("INSERT INTO api_tokens (user_id, name, token_hash, last_eight, scopes, expires_at, kind) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, 'session') RETURNING id")
                .execute(Tuple.tuple().addLong(account.userId()).addString(SESSION_NAME)
                        .addBuffer(Buffer.buffer(TokenCodec.hash(plaintext))).addString(TokenCodec.lastEight(plaintext))
                        .addArrayOfString(scopes.toArray(String[]::new)).addOffsetDateTime(expires.atOffset(ZoneOffset.UTC)))
                .map(rows -> new Session(rows.iterator().next().getLong("id"), plaintext, expires, account.username()));
    }

    /** The user's own change: the current password is required once one is set. */
    public Uni<Void> change(long userId, String current, String next) {
        validate(next);
        return passwords.hash(pool, userId)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(existing -> {
                    if (existing.isPresent() && (current == null || !BcryptUtil.matches(current, existing.get()))) {
                        throw new ValidationException("current_password is not your current password");
                    }
                    return BcryptUtil.bcryptHash(next, BCRYPT_COST);
                })
                .chain(hash -> passwords.set(pool, userId, hash));
    }

    /** A site administrator sets a user's password (at creation, or to reset it). */
    public Uni<Void> set(String username, String password) {
        validate(password);
        return users.byUsername(pool, username)
                .map(user -> user.orElseThrow(() -> new NotFoundException("user '" + username + "' not found")))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .chain(user -> passwords.set(pool, user.id(), BcryptUtil.bcryptHash(password, BCRYPT_COST)));
    }

    static void validate(String password) {
        if (password == null) {
            throw new ValidationException("password is required");
        }
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (password.length() < 8 || bytes > 72) {
            // bcrypt reads at most 72 bytes: a longer password would silently match its own prefix.
            throw new ValidationException("password must be at least 8 characters and at most 72 bytes");
        }
    }

    /** Too many failed sign-ins for this account or address. */
    public static final class TooManyAttempts extends ApiException {

        final long retryAfter;

        TooManyAttempts(long retryAfter) {
            super(429, "rate_limited", "too many failed sign-ins; try again in " + retryAfter + " s");
            this.retryAfter = retryAfter;
        }
    }
}
