package dev.shoal.pipeline.registry.service;

import dev.shoal.pipeline.registry.ImageReference;
import dev.shoal.pipeline.registry.Registry;
import dev.shoal.pipeline.registry.RegistryCredential;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.secret.service.SecretCipher;
import dev.shoal.pipeline.secret.service.SecretService.Owner;
import dev.shoal.platform.crypto.SecretSeal;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Container registry credentials of a repository, an organization or the server (the same owners
 * as secrets). Passwords are sealed with the secrets' key, bound to the registry's identity, and
 * never returned by any API.
 */
@ApplicationScoped
public class RegistryService {

    private static final String COLUMNS = "id, scope, owner_id, address, username, created_at, updated_at";
    /** host[:port][/path], as docker login takes it; no scheme, no spaces. */
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})(:[0-9]{1,5})?(/[A-Za-z0-9._/-]{0,200})?");
    private static final int MAX_PASSWORD_BYTES = 16 * 1024;

    private final Pool pool;
    private final SecretCipher cipher;

    public RegistryService(Pool pool, SecretCipher cipher) {
        this.pool = pool;
        this.cipher = cipher;
    }

    public Uni<List<Registry>> list(Owner owner) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM registry WHERE scope = $1 AND owner_id = $2 ORDER BY address")
                .execute(Tuple.of(owner.scope(), owner.id()))
                .map(rows -> {
                    List<Registry> list = new ArrayList<>();
                    rows.forEach(r -> list.add(view(r)));
                    return list;
                });
    }

    public Uni<Registry> get(Owner owner, String address) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM registry WHERE scope = $1 AND owner_id = $2 AND address = $3")
                .execute(Tuple.of(owner.scope(), owner.id(), address))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw notFound(owner, address);
                    }
                    return view(rows.iterator().next());
                });
    }

    public Uni<Registry> create(Owner owner, String address, String username, String password) {
        String addr = validateAddress(address);
        validateUsername(username, true);
        validatePassword(password, true);
        SecretSeal.Sealed sealed = cipher.seal(identity(owner, addr), password);
        return pool.preparedQuery("INSERT INTO registry (scope, owner_id, address, username, nonce, ciphertext) "
                        + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] {owner.scope(), owner.id(), addr, username,
                        Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.ciphertext())}))
                .map(rows -> view(rows.iterator().next()))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? new ConflictException("registry '" + addr + "' already exists in " + owner.label()) : e);
    }

    /** Changes the username and/or password; null leaves them as they are. */
    public Uni<Registry> update(Owner owner, String address, String username, String password) {
        if (username == null && password == null) {
            throw new ValidationException("send 'username' and/or 'password' to change");
        }
        validateUsername(username, false);
        validatePassword(password, false);
        SecretSeal.Sealed sealed = password == null ? null : cipher.seal(identity(owner, address), password);
        return pool.preparedQuery("UPDATE registry SET username = COALESCE($4, username), nonce = COALESCE($5, nonce), "
                        + "ciphertext = COALESCE($6, ciphertext), updated_at = now() "
                        + "WHERE scope = $1 AND owner_id = $2 AND address = $3 RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] {owner.scope(), owner.id(), address, username,
                        sealed == null ? null : Buffer.buffer(sealed.nonce()),
                        sealed == null ? null : Buffer.buffer(sealed.ciphertext())}))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw notFound(owner, address);
                    }
                    return view(rows.iterator().next());
                });
    }

    /** Removes every registry of {@code owner}; answers how many there were. */
    public Uni<Integer> deleteAll(Owner owner) {
        return pool.preparedQuery("DELETE FROM registry WHERE scope = $1 AND owner_id = $2")
                .execute(Tuple.of(owner.scope(), owner.id())).map(rows -> rows.rowCount());
    }

    public Uni<Void> delete(Owner owner, String address) {
        return pool.preparedQuery("DELETE FROM registry WHERE scope = $1 AND owner_id = $2 AND address = $3")
                .execute(Tuple.of(owner.scope(), owner.id(), address))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw notFound(owner, address);
                    }
                    return null;
                });
    }

    /** The stored password, for handing credentials to a pipeline's agent (never to an API caller). */
    public Uni<String> password(Owner owner, String address) {
        return pool.preparedQuery("SELECT nonce, ciphertext FROM registry WHERE scope = $1 AND owner_id = $2 AND address = $3")
                .execute(Tuple.of(owner.scope(), owner.id(), address))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw notFound(owner, address);
                    }
                    Row r = rows.iterator().next();
                    return cipher.open(identity(owner, address), r.getBuffer("nonce").getBytes(),
                            r.getBuffer("ciphertext").getBytes());
                });
    }

    /**
     * The credentials a pipeline's agent needs: for each image, the registry of the repository, else
     * of its organization, else of the server whose address covers it (the longest address first
     * within a scope). Each registry once; none when no image names a registry with credentials.
     */
    public Uni<List<RegistryCredential>> forImages(SqlClient client, Repo repo, Collection<String> images) {
        List<ImageReference> refs = images.stream().map(ImageReference::parse).filter(java.util.Objects::nonNull)
                .distinct().toList();
        if (refs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery("SELECT scope, owner_id, address, username, nonce, ciphertext FROM registry "
                        + "WHERE (scope = 'repo' AND owner_id = $1) OR (scope = 'org' AND owner_id = $2) OR scope = 'global' "
                        + "ORDER BY CASE scope WHEN 'repo' THEN 0 WHEN 'org' THEN 1 ELSE 2 END, length(address) DESC, address")
                .execute(Tuple.of(repo.id(), repo.orgId()))
                .map(rows -> {
                    List<Row> candidates = new ArrayList<>();
                    rows.forEach(candidates::add);
                    Map<String, RegistryCredential> chosen = new LinkedHashMap<>();
                    for (ImageReference ref : refs) {
                        for (Row r : candidates) {
                            if (ref.matches(r.getString("address"))) {
                                String key = r.getString("scope") + ":" + r.getLong("owner_id") + ":" + r.getString("address");
                                chosen.computeIfAbsent(key, k -> new RegistryCredential(r.getString("address"),
                                        r.getString("username"), cipher.open(identity(new Owner(r.getString("scope"),
                                                r.getLong("owner_id"), null, ""), r.getString("address")),
                                                r.getBuffer("nonce").getBytes(), r.getBuffer("ciphertext").getBytes())));
                                break;
                            }
                        }
                    }
                    return new ArrayList<>(chosen.values());
                });
    }

    /** Every registry password a repository's pipelines could receive, to mask them in logs. */
    public Uni<List<String>> allPasswords(SqlClient client, Repo repo) {
        return client.preparedQuery("SELECT scope, owner_id, address, nonce, ciphertext FROM registry "
                        + "WHERE (scope = 'repo' AND owner_id = $1) OR (scope = 'org' AND owner_id = $2) OR scope = 'global'")
                .execute(Tuple.of(repo.id(), repo.orgId()))
                .map(rows -> {
                    List<String> values = new ArrayList<>();
                    rows.forEach(r -> values.add(cipher.open(identity(new Owner(r.getString("scope"), r.getLong("owner_id"),
                            null, ""), r.getString("address")), r.getBuffer("nonce").getBytes(), r.getBuffer("ciphertext").getBytes())));
                    return values;
                });
    }

    static String validateAddress(String address) {
        if (address == null || address.isBlank()) {
            throw new ValidationException("address is required: the registry's host, e.g. 'registry.example.com:5000'");
        }
        String a = address.strip();
        if (a.startsWith("https://") || a.startsWith("http://")) {
            a = a.substring(a.indexOf("://") + 3);
        }
        if (a.endsWith("/")) {
            a = a.substring(0, a.length() - 1);
        }
        if (!ADDRESS.matcher(a).matches() || a.contains("..")) {
            throw new ValidationException("address must be a registry host with an optional port and path, e.g. "
                    + "'registry.example.com:5000' or 'ghcr.io/team'");
        }
        return a.toLowerCase(java.util.Locale.ROOT);
    }

    private static void validateUsername(String username, boolean required) {
        if (username == null) {
            if (required) {
                throw new ValidationException("username is required");
            }
            return;
        }
        if (username.isEmpty() || username.length() > 255 || username.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ValidationException("username must be 1-255 characters without control characters");
        }
    }

    private static void validatePassword(String password, boolean required) {
        if (password == null) {
            if (required) {
                throw new ValidationException("password is required");
            }
            return;
        }
        if (password.isEmpty() || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new ValidationException("password must be 1 byte to 16 KiB");
        }
    }

    private static String identity(Owner owner, String address) {
        return "registry:" + owner.scope() + ":" + owner.id() + ":" + address;
    }

    private static Registry view(Row r) {
        return new Registry(r.getLong("id"), r.getString("scope"), r.getLong("owner_id"), r.getString("address"),
                r.getString("username"), r.getOffsetDateTime("created_at").toInstant(),
                r.getOffsetDateTime("updated_at").toInstant());
    }

    private static NotFoundException notFound(Owner owner, String address) {
        return new NotFoundException("registry '" + address + "' not found in " + owner.label());
    }
}
