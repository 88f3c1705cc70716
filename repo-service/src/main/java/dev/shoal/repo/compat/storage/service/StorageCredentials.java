package dev.shoal.repo.compat.storage.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.crypto.SecretSeal;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.config.StorageCredentialConfig;
import dev.shoal.repo.compat.storage.repository.StorageCredentialRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Upstream git credentials (SDK createGitCredential / updateGitCredential / deleteGitCredential):
 * one per storage repository, owned by the issuer; pull-upstream fetches with it. The password is
 * sealed with platform {@link SecretSeal} (the credential id is the associated data): it is needed
 * in clear for fetching, so it cannot be hashed; it is never returned and never logged.
 */
@ApplicationScoped
public class StorageCredentials {

    /**
     * The username when none was given: GitHub accepts it for installation tokens, GitLab ignores the
     * username for personal/project access tokens; Bitbucket needs its own (x-token-auth for access
     * tokens, the account name for app passwords), so callers pass it there.
     */
    public static final String DEFAULT_USERNAME = "x-access-token";
    static final String KEY_SETTING = "shoal.repo.storage.credential-key";
    private static final int MAX_SECRET = 4096;
    private static final int MAX_USERNAME = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    public record CreateRequest(@JsonProperty("repo_id") String repoId, String username, String password) {
    }

    public record UpdateRequest(String id, String username, String password) {
    }

    public record DeleteRequest(String id) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Credential(String id, @JsonProperty("created_at") Instant createdAt) {
    }

    private final Pool pool;
    private final StorageRepos repos;
    private final StorageCredentialRepository credentials;
    private final SecretSeal seal;

    @jakarta.inject.Inject
    public StorageCredentials(Pool pool, StorageRepos repos, StorageCredentialRepository credentials, StorageCredentialConfig config) {
        this(pool, repos, credentials, config.credentialKey());
    }

    StorageCredentials(Pool pool, StorageRepos repos, StorageCredentialRepository credentials, Optional<String> key) {
        this.pool = pool;
        this.repos = repos;
        this.credentials = credentials;
        this.seal = key.filter(k -> !k.isBlank()).map(k -> SecretSeal.fromBase64(k, KEY_SETTING)).orElse(null);
    }

    public Uni<Credential> create(StorageIdentity who, CreateRequest request) {
        SecretSeal s = requireKey();
        if (request == null) {
            throw new ValidationException("body {\"repo_id\", \"password\"[, \"username\"]} is required");
        }
        if (request.repoId() == null || request.repoId().isBlank()) {
            throw new ValidationException("repo_id is required: the repository the credential is for");
        }
        if (!request.repoId().equals(who.repo())) {
            throw new ApiException(403, "forbidden", "repo_id '" + request.repoId() + "' is not the repository the token is for");
        }
        String password = requirePassword(request.password());
        String username = requireUsername(request.username());
        String id = "gc_" + HexFormat.of().formatHex(randomBytes());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        return repos.named(who).chain(named -> {
            SecretSeal.Sealed sealed = s.seal(id, password);
            return credentials.insert(pool, new StorageCredentialRepository.Row(id, named.repo().id(), who.issuer(), username,
                    sealed.nonce(), sealed.ciphertext(), now));
        }).map(inserted -> {
            if (!inserted) {
                throw new ConflictException("repository '" + who.repo() + "' already has a git credential: update or delete it");
            }
            return new Credential(id, now.toInstant());
        });
    }

    public Uni<Credential> update(StorageIdentity who, UpdateRequest request) {
        SecretSeal s = requireKey();
        if (request == null || request.id() == null || request.id().isBlank()) {
            throw new ValidationException("id is required: the credential's id as createGitCredential returned it");
        }
        String password = requirePassword(request.password());
        String username = requireUsername(request.username());
        SecretSeal.Sealed sealed = s.seal(request.id(), password);
        return credentials.update(pool, request.id(), who.issuer(), username, sealed.nonce(), sealed.ciphertext(),
                OffsetDateTime.now(ZoneOffset.UTC)).map(created -> {
                    if (created == null) {
                        throw notFound(request.id());
                    }
                    return new Credential(request.id(), created.toInstant());
                });
    }

    public Uni<Void> delete(StorageIdentity who, DeleteRequest request) {
        requireKey();
        if (request == null || request.id() == null || request.id().isBlank()) {
            throw new ValidationException("id is required: the credential's id as createGitCredential returned it");
        }
        return credentials.delete(pool, request.id(), who.issuer()).invoke(deleted -> {
            if (!deleted) {
                throw notFound(request.id());
            }
        }).replaceWithVoid();
    }

    /**
     * The JGit credentials for fetching the repository's upstream, or null without a credential;
     * blocking-free (a Uni). Fails when a credential exists but no key is configured.
     */
    public Uni<UsernamePasswordCredentialsProvider> provider(long repoId) {
        return credentials.forRepo(pool, repoId).map(row -> {
            if (row == null) {
                return null;
            }
            if (seal == null) {
                throw new IllegalStateException("the repository has a git credential but " + KEY_SETTING + " is not set");
            }
            String password = seal.open(row.id(), row.nonce(), row.ciphertext());
            return new UsernamePasswordCredentialsProvider(row.username() == null ? DEFAULT_USERNAME : row.username(), password);
        });
    }

    private SecretSeal requireKey() {
        if (seal == null) {
            throw new ApiException(503, "credentials_unavailable",
                    "git credentials are not configured on this server: set " + KEY_SETTING
                            + " (SHOAL_REPO_STORAGE_CREDENTIAL_KEY, base64 of 32 random bytes)");
        }
        return seal;
    }

    private static String requirePassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new ValidationException("password is required: the token or password the upstream accepts");
        }
        if (password.length() > MAX_SECRET || password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ValidationException("password must be at most " + MAX_SECRET + " printable characters");
        }
        return password;
    }

    private static String requireUsername(String username) {
        if (username != null && (username.isEmpty() || username.length() > MAX_USERNAME
                || username.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == ':'))) {
            throw new ValidationException("username must be 1 to " + MAX_USERNAME + " printable characters without ':'");
        }
        return username;
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("git credential '" + id + "' not found");
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }
}
