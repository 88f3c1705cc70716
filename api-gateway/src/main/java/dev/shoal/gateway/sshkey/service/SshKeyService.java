package dev.shoal.gateway.sshkey.service;

import dev.shoal.gateway.sshkey.OpenSshKey;
import dev.shoal.gateway.sshkey.SshKey;
import dev.shoal.gateway.sshkey.repository.SshKeyRepository;
import dev.shoal.gateway.sshkey.KeyOwner;
import dev.shoal.gateway.user.repository.UserRepository;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A user's SSH keys and a repository's deploy keys: one table, one fingerprint space, so a key
 * presented to the SSH server always names exactly one owner. Keys are parsed and checked before
 * they are stored ({@link OpenSshKey}); a key already registered anywhere is a conflict.
 */
@ApplicationScoped
public class SshKeyService {

    private static final int MAX_TITLE = 100;

    private final Pool pool;
    private final SshKeyRepository keys;
    private final UserRepository users;

    public SshKeyService(Pool pool, SshKeyRepository keys, UserRepository users) {
        this.pool = pool;
        this.keys = keys;
        this.users = users;
    }

    public Uni<PageResponse<SshKey>> list(KeyOwner owner, long ownerId, PageRequest page) {
        return keys.count(pool, owner, ownerId).chain(total -> keys.page(pool, owner, ownerId, page.offset(), page.perPage())
                .map(list -> PageResponse.of(list, page, total)));
    }

    public Uni<SshKey> get(KeyOwner owner, long ownerId, long id) {
        return keys.find(pool, owner, ownerId, id).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    /** Adds a key; {@code readOnly} applies to deploy keys (null: read-only), and must be absent for a user's key. */
    public Uni<SshKey> add(KeyOwner owner, long ownerId, String title, String key, Boolean readOnly) {
        if (title == null || title.isBlank() || title.strip().length() > MAX_TITLE) {
            throw new ValidationException("title must be 1-" + MAX_TITLE + " characters, e.g. 'laptop'");
        }
        if (owner == KeyOwner.USER && readOnly != null) {
            throw new ValidationException("read_only applies to deploy keys only: a user's key reads and writes what its user may");
        }
        OpenSshKey parsed = OpenSshKey.parse(key);
        return keys.fingerprintTaken(pool, parsed.fingerprint()).chain(taken -> {
            if (taken) {
                return Uni.createFrom().failure(duplicate(parsed));
            }
            return keys.insert(pool, owner, ownerId, title.strip(), parsed.text(), parsed.fingerprint(), readOnly == null || readOnly)
                    .onFailure(SshKeyService::uniqueViolation).transform(e -> duplicate(parsed));
        });
    }

    public Uni<Void> delete(KeyOwner owner, long ownerId, long id) {
        return keys.delete(pool, owner, ownerId, id).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return null;
        });
    }

    /** The id of the user with this name, for a site administrator acting on someone's keys. */
    public Uni<Long> userId(String username) {
        return users.byUsername(pool, username)
                .map(u -> u.orElseThrow(() -> new NotFoundException("user '" + username + "' not found")).id());
    }

    private static ConflictException duplicate(OpenSshKey key) {
        // Whose it is stays unsaid: the key's owner may be someone the caller must not learn about.
        return new ConflictException("this key (" + key.fingerprint() + ") is already registered on this site; "
                + "a key can belong to one user or one deploy key only: generate another with ssh-keygen -t ed25519");
    }

    private static boolean uniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    private static NotFoundException notFound(long id) {
        return new NotFoundException("SSH key " + id + " not found");
    }
}
