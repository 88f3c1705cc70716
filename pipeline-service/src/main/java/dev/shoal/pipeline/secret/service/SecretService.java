package dev.shoal.pipeline.secret.service;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.secret.Secret;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Repository and organization secrets: stored sealed, listed without values, handed only to allowed pipelines. */
@ApplicationScoped
public class SecretService {

    public static final List<String> EVENTS = List.of("push", "tag", "pull_request", "cron", "manual");
    static final List<String> DEFAULT_EVENTS = List.of("push", "tag", "cron", "manual");
    private static final int MAX_VALUE_BYTES = 64 * 1024;

    /** Where a secret belongs: a repository or an organization. */
    public record Owner(String scope, long id, String orgName, String label) {
    }

    private final Pool pool;
    private final SecretCipher cipher;
    private final RepoDirectory repos;

    public SecretService(Pool pool, SecretCipher cipher, RepoDirectory repos) {
        this.pool = pool;
        this.cipher = cipher;
        this.repos = repos;
    }

    public Uni<Owner> repoOwner(Caller caller, String org, String name) {
        return repos.require(org, name, caller.repoId())
                .map(repo -> new Owner("repo", repo.id(), repo.org(), "repository " + repo.fullName()));
    }

    public Owner orgOwner(Caller caller, String org) {
        if (caller.orgId() == null) {
            throw new NotFoundException("organization " + org + " not found");
        }
        return new Owner("org", caller.orgId(), org, "organization " + org);
    }

    public Uni<List<Secret>> list(Owner owner) {
        return pool.preparedQuery("SELECT name, events, created_at, updated_at FROM secret WHERE scope = $1 AND owner_id = $2 ORDER BY name")
                .execute(Tuple.of(owner.scope(), owner.id()))
                .map(rows -> {
                    List<Secret> list = new ArrayList<>();
                    rows.forEach(r -> list.add(view(r)));
                    return list;
                });
    }

    public Uni<Secret> create(Owner owner, String name, String value, List<String> events) {
        validateName(name);
        if (value == null) {
            throw new ValidationException("value is required");
        }
        validateValue(value);
        List<String> allowed = events == null ? DEFAULT_EVENTS : validateEvents(events);
        SecretCipher.Sealed sealed = cipher.seal(identity(owner, name), value);
        return pool.preparedQuery("INSERT INTO secret (scope, owner_id, org_name, name, nonce, ciphertext, events) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING name, events, created_at, updated_at")
                .execute(Tuple.from(new Object[] {owner.scope(), owner.id(), owner.orgName(), name,
                        io.vertx.core.buffer.Buffer.buffer(sealed.nonce()),
                        io.vertx.core.buffer.Buffer.buffer(sealed.ciphertext()), allowed.toArray(String[]::new)}))
                .map(rows -> view(rows.iterator().next()))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? new ConflictException("a secret named '" + name + "' already exists in " + owner.label()) : e);
    }

    public Uni<Secret> update(Owner owner, String name, String value, List<String> events) {
        if (value == null && events == null) {
            throw new ValidationException("send 'value' and/or 'events' to change");
        }
        if (value != null) {
            validateValue(value);
        }
        List<String> allowed = events == null ? null : validateEvents(events);
        SecretCipher.Sealed sealed = value == null ? null : cipher.seal(identity(owner, name), value);
        return pool.preparedQuery("UPDATE secret SET nonce = COALESCE($4, nonce), ciphertext = COALESCE($5, ciphertext), "
                        + "events = COALESCE($6, events), updated_at = now() WHERE scope = $1 AND owner_id = $2 AND name = $3 "
                        + "RETURNING name, events, created_at, updated_at")
                .execute(Tuple.from(new Object[] {owner.scope(), owner.id(), name,
                        sealed == null ? null : io.vertx.core.buffer.Buffer.buffer(sealed.nonce()),
                        sealed == null ? null : io.vertx.core.buffer.Buffer.buffer(sealed.ciphertext()),
                        allowed == null ? null : allowed.toArray(String[]::new)}))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw notFound(owner, name);
                    }
                    return view(rows.iterator().next());
                });
    }

    public Uni<Void> delete(Owner owner, String name) {
        return pool.preparedQuery("DELETE FROM secret WHERE scope = $1 AND owner_id = $2 AND name = $3")
                .execute(Tuple.of(owner.scope(), owner.id(), name))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw notFound(owner, name);
                    }
                    return null;
                });
    }

    /**
     * The secret values a pipeline of {@code repo} may receive for {@code event}: repository secrets
     * override organization ones; a pull request from a fork receives none.
     */
    public Uni<Map<String, String>> valuesFor(SqlClient client, Repo repo, String event, boolean fork) {
        if (fork) {
            return Uni.createFrom().item(Map.of());
        }
        return all(client, repo).map(rows -> {
            Map<String, String> values = new LinkedHashMap<>();
            for (Row r : rows) {
                if (Arrays.asList(r.getArrayOfStrings("events")).contains(event)) {
                    values.put(r.getString("name"), open(r));
                }
            }
            return values;
        });
    }

    /** Every secret value of the repository and its organization, to mask them in logs. */
    public Uni<List<String>> allValues(SqlClient client, Repo repo) {
        return all(client, repo).map(rows -> {
            LinkedHashSet<String> values = new LinkedHashSet<>();
            rows.forEach(r -> values.add(open(r)));
            return new ArrayList<>(values);
        });
    }

    /** Org secrets first, so repository secrets of the same name override them. */
    private Uni<List<Row>> all(SqlClient client, Repo repo) {
        return client.preparedQuery("SELECT scope, owner_id, name, nonce, ciphertext, events FROM secret "
                        + "WHERE (scope = 'repo' AND owner_id = $1) "
                        + "OR (scope = 'org' AND (owner_id = $2 OR ($2::bigint IS NULL AND org_name = $3))) "
                        + "ORDER BY CASE scope WHEN 'org' THEN 0 ELSE 1 END, name")
                .execute(Tuple.of(repo.id(), repo.orgId(), repo.org()))
                .map(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return list;
                });
    }

    private String open(Row r) {
        return cipher.open(r.getString("scope") + ":" + r.getLong("owner_id") + ":" + r.getString("name"),
                r.getBuffer("nonce").getBytes(), r.getBuffer("ciphertext").getBytes());
    }

    private static String identity(Owner owner, String name) {
        return owner.scope() + ":" + owner.id() + ":" + name;
    }

    private static Secret view(Row r) {
        return new Secret(r.getString("name"), List.of(r.getArrayOfStrings("events")),
                r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
    }

    static void validateName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")) {
            throw new ValidationException("name must be 1-100 characters of letters, digits, '_', '.' or '-', "
                    + "starting with a letter, digit or '_'");
        }
    }

    private static void validateValue(String value) {
        if (value.isEmpty() || value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw new ValidationException("value must be 1 byte to 64 KiB");
        }
    }

    private static List<String> validateEvents(List<String> events) {
        if (events.isEmpty()) {
            throw new ValidationException("events must name at least one of " + String.join(", ", EVENTS));
        }
        for (String event : events) {
            if (event == null || !EVENTS.contains(event)) {
                throw new ValidationException("events must be among " + String.join(", ", EVENTS) + ", got '" + event + "'");
            }
        }
        return List.copyOf(new LinkedHashSet<>(events));
    }

    private static NotFoundException notFound(Owner owner, String name) {
        return new NotFoundException("secret '" + name + "' not found in " + owner.label());
    }
}
