package dev.shoal.pipeline.secret.service;

import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.secret.Secret;
import dev.shoal.pipeline.secret.SecretDetails;
import dev.shoal.platform.crypto.SecretSeal;
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

    public static final List<String> EVENTS = List.of("push", "tag", "pull_request", "cron", "manual", "deployment");
    private static final String DETAIL_COLUMNS = "id, scope, owner_id, name, events, images, created_at, updated_at";
    static final List<String> DEFAULT_EVENTS = List.of("push", "tag", "cron", "manual");
    private static final int MAX_VALUE_BYTES = 64 * 1024;

    /** A secret's value with the images it is limited to (empty: any step). */
    public record SecretValue(String name, String value, List<String> images) {

        /** Whether a step running {@code image} may receive it: listed as is, or without its tag or digest. */
        public boolean allows(String image) {
            if (images.isEmpty()) {
                return true;
            }
            if (image == null) {
                return false;
            }
            String bare = stripTag(image);
            return images.stream().anyMatch(i -> i.equals(image) || stripTag(i).equals(bare) && !i.contains(":") && !i.contains("@"));
        }

        static String stripTag(String image) {
            String s = image;
            int at = s.indexOf('@');
            if (at >= 0) {
                s = s.substring(0, at);
            }
            int colon = s.lastIndexOf(':');
            return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
        }
    }

    /** Where a secret belongs: a repository, an organization, or the whole server (scope 'global', id 0). */
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

    /** Secrets of the whole server: any pipeline may receive them (as their events and images allow). */
    public static Owner globalOwner() {
        return new Owner("global", 0, null, "the server's global secrets");
    }

    /** An organization named by id (the gateway checked the caller's role in it). */
    public static Owner orgOwner(long orgId) {
        return new Owner("org", orgId, null, "organization " + orgId);
    }

    public Uni<List<Secret>> list(Owner owner) {
        return details(owner).map(list -> list.stream().map(SecretDetails::summary).toList());
    }

    public Uni<List<SecretDetails>> details(Owner owner) {
        return pool.preparedQuery("SELECT " + DETAIL_COLUMNS + " FROM secret WHERE scope = $1 AND owner_id = $2 ORDER BY name")
                .execute(Tuple.of(owner.scope(), owner.id()))
                .map(rows -> {
                    List<SecretDetails> list = new ArrayList<>();
                    rows.forEach(r -> list.add(details(r)));
                    return list;
                });
    }

    public Uni<SecretDetails> detail(Owner owner, String name) {
        return pool.preparedQuery("SELECT " + DETAIL_COLUMNS + " FROM secret WHERE scope = $1 AND owner_id = $2 AND name = $3")
                .execute(Tuple.of(owner.scope(), owner.id(), name))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw notFound(owner, name);
                    }
                    return details(rows.iterator().next());
                });
    }

    public Uni<Secret> create(Owner owner, String name, String value, List<String> events) {
        return create(owner, name, value, events, null).map(SecretDetails::summary);
    }

    public Uni<Secret> update(Owner owner, String name, String value, List<String> events) {
        return update(owner, name, value, events, null).map(SecretDetails::summary);
    }

    /** Creates a secret; {@code images} (may be null) limits it to steps running those images. */
    public Uni<SecretDetails> create(Owner owner, String name, String value, List<String> events, List<String> images) {
        validateName(name);
        if (value == null) {
            throw new ValidationException("value is required");
        }
        validateValue(value);
        List<String> allowed = events == null ? DEFAULT_EVENTS : validateEvents(events);
        List<String> onlyImages = images == null ? List.of() : validateImages(images);
        SecretSeal.Sealed sealed = cipher.seal(identity(owner, name), value);
        return pool.preparedQuery("INSERT INTO secret (scope, owner_id, org_name, name, nonce, ciphertext, events, images) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + DETAIL_COLUMNS)
                .execute(Tuple.from(new Object[] {owner.scope(), owner.id(), owner.orgName(), name,
                        io.vertx.core.buffer.Buffer.buffer(sealed.nonce()),
                        io.vertx.core.buffer.Buffer.buffer(sealed.ciphertext()), allowed.toArray(String[]::new),
                        onlyImages.toArray(String[]::new)}))
                .map(rows -> details(rows.iterator().next()))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? new ConflictException("a secret named '" + name + "' already exists in " + owner.label()) : e);
    }

    /** Changes what is given; null leaves value, events or images as they are. */
    public Uni<SecretDetails> update(Owner owner, String name, String value, List<String> events, List<String> images) {
        if (value == null && events == null && images == null) {
            throw new ValidationException("send 'value', 'events' and/or 'images' to change");
        }
        List<String> onlyImages = images == null ? null : validateImages(images);
        if (value != null) {
            validateValue(value);
        }
        List<String> allowed = events == null ? null : validateEvents(events);
        SecretSeal.Sealed sealed = value == null ? null : cipher.seal(identity(owner, name), value);
        return pool.preparedQuery("UPDATE secret SET nonce = COALESCE($4, nonce), ciphertext = COALESCE($5, ciphertext), "
                        + "events = COALESCE($6, events), images = COALESCE($7, images), updated_at = now() "
                        + "WHERE scope = $1 AND owner_id = $2 AND name = $3 RETURNING " + DETAIL_COLUMNS)
                .execute(Tuple.from(new Object[] {owner.scope(), owner.id(), name,
                        sealed == null ? null : io.vertx.core.buffer.Buffer.buffer(sealed.nonce()),
                        sealed == null ? null : io.vertx.core.buffer.Buffer.buffer(sealed.ciphertext()),
                        allowed == null ? null : allowed.toArray(String[]::new),
                        onlyImages == null ? null : onlyImages.toArray(String[]::new)}))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw notFound(owner, name);
                    }
                    return details(rows.iterator().next());
                });
    }

    /** Removes every secret of {@code owner}; answers how many there were. */
    public Uni<Integer> deleteAll(Owner owner) {
        return pool.preparedQuery("DELETE FROM secret WHERE scope = $1 AND owner_id = $2")
                .execute(Tuple.of(owner.scope(), owner.id())).map(rows -> rows.rowCount());
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

    /**
     * The secrets a pipeline of {@code repo} may receive for {@code event}, by name, with their image
     * limits: repository secrets override organization ones, which override global ones; a pull
     * request from a fork receives none.
     */
    public Uni<Map<String, SecretValue>> secretsFor(SqlClient client, Repo repo, String event, boolean fork) {
        if (fork) {
            return Uni.createFrom().item(Map.of());
        }
        return all(client, repo).map(rows -> {
            Map<String, SecretValue> values = new LinkedHashMap<>();
            for (Row r : rows) {
                if (Arrays.asList(r.getArrayOfStrings("events")).contains(event)) {
                    values.put(r.getString("name"), new SecretValue(r.getString("name"), open(r),
                            List.of(r.getArrayOfStrings("images"))));
                }
            }
            return values;
        });
    }

    /** Every secret value of the repository, its organization and the server, to mask them in logs. */
    public Uni<List<String>> allValues(SqlClient client, Repo repo) {
        return all(client, repo).map(rows -> {
            LinkedHashSet<String> values = new LinkedHashSet<>();
            rows.forEach(r -> values.add(open(r)));
            return new ArrayList<>(values);
        });
    }

    /** Global secrets first, then org ones, so repository secrets of the same name override both. */
    private Uni<List<Row>> all(SqlClient client, Repo repo) {
        return client.preparedQuery("SELECT scope, owner_id, name, nonce, ciphertext, events, images FROM secret "
                        + "WHERE (scope = 'repo' AND owner_id = $1) "
                        + "OR (scope = 'org' AND (owner_id = $2 OR ($2::bigint IS NULL AND org_name = $3))) "
                        + "OR scope = 'global' "
                        + "ORDER BY CASE scope WHEN 'global' THEN 0 WHEN 'org' THEN 1 ELSE 2 END, name")
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

    private static SecretDetails details(Row r) {
        return new SecretDetails(r.getLong("id"), r.getString("scope"), r.getLong("owner_id"), r.getString("name"),
                List.of(r.getArrayOfStrings("events")), List.of(r.getArrayOfStrings("images")),
                r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
    }

    /** Image names as a pipeline file writes them: no spaces or control characters, at most 50 of them. */
    static List<String> validateImages(List<String> images) {
        if (images.size() > 50) {
            throw new ValidationException("images may list at most 50 images");
        }
        for (String image : images) {
            if (image == null || !image.matches("[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,254}")) {
                throw new ValidationException("images must be image names such as 'alpine' or "
                        + "'registry.example.com/team/tool:1.2', got '" + image + "'");
            }
        }
        return List.copyOf(new LinkedHashSet<>(images));
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
