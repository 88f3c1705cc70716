package dev.shoal.pipeline.agent.service;

import dev.shoal.pipeline.agent.Agent;
import dev.shoal.pipeline.agent.AgentDetails;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.UnauthorizedException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.pipeline.notify.Notifications;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Agents are registered by site admins. The token is shown once; the server keeps its SHA-256 hash
 * and a short lookup prefix, and compares hashes in constant time, so neither the database nor the
 * timing of a comparison gives a token away.
 */
@ApplicationScoped
public class AgentService {

    public static final String TOKEN_PREFIX = "shoal_agent_";
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int LOOKUP_LENGTH = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final PipelineRepository pipelines;
    private final Notifications notifications;

    public AgentService(Pool pool, PipelineRepository pipelines, Notifications notifications) {
        this.pool = pool;
        this.pipelines = pipelines;
        this.notifications = notifications;
    }

    public Uni<Agent> register(Caller caller, String name, Map<String, String> labels, String platform) {
        return register(caller, name, labels, platform, null, false)
                .map(d -> new Agent(d.id(), d.name(), d.labels(), d.platform(), d.createdAt(), d.lastSeenAt(), d.token(),
                        d.orgId(), d.noSchedule()));
    }

    /**
     * Registers an agent, of the whole server ({@code orgId} null) or of one organization (it then
     * takes only that organization's pipelines). The answer holds the token, the only time it is shown.
     */
    public Uni<AgentDetails> register(Caller caller, String name, Map<String, String> labels, String platform, Long orgId,
                                      boolean noSchedule) {
        validateName(name);
        Map<String, String> cleanLabels = new TreeMap<>();
        if (labels != null) {
            if (labels.size() > 50) {
                throw new ValidationException("labels may hold at most 50 entries");
            }
            labels.forEach((k, v) -> {
                if (k == null || !k.matches("[A-Za-z0-9._/-]{1,100}") || v == null || v.length() > 200) {
                    throw new ValidationException("labels must map names (1-100 of letters, digits, '.', '_', '/', '-') "
                            + "to strings of at most 200 characters");
                }
                cleanLabels.put(k, v);
            });
        }
        if (platform != null && !platform.matches("[a-z0-9_]{1,30}(/[a-z0-9_]{1,30}){0,2}")) {
            throw new ValidationException("platform must look like 'linux' or 'linux/amd64'");
        }
        String token = newToken();
        return pool.preparedQuery("INSERT INTO agent (name, labels, platform, token_lookup, token_hash, created_by, org_id, "
                        + "no_schedule) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + DETAIL_COLUMNS)
                .execute(Tuple.from(new Object[] {name, new JsonObject(new LinkedHashMap<>(cleanLabels)), platform,
                        lookup(token), io.vertx.core.buffer.Buffer.buffer(sha256(token)), caller.userId(), orgId, noSchedule}))
                .map(rows -> details(rows.iterator().next(), token))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? new ConflictException("an agent named '" + name + "' already exists") : e);
    }

    public Uni<List<Agent>> list(PageRequest page) {
        return pool.preparedQuery("SELECT id, name, labels, platform, created_at, last_seen_at, org_id, no_schedule FROM agent ORDER BY id LIMIT $1 OFFSET $2")
                .execute(Tuple.of(page.perPage(), page.offset()))
                .map(rows -> {
                    List<Agent> list = new ArrayList<>();
                    rows.forEach(r -> list.add(view(r, null)));
                    return list;
                });
    }

    public Uni<Long> count() {
        return pool.query("SELECT count(*) FROM agent").execute().map(rows -> rows.iterator().next().getLong(0));
    }

    static final String DETAIL_COLUMNS = "id, name, labels, platform, org_id, no_schedule, capacity, backend, version, "
            + "created_by, created_at, updated_at, last_seen_at, last_work_at";

    /** Agents of one organization ({@code orgId}), or of every scope when null; newest last. */
    public Uni<List<AgentDetails>> details(Long orgId, PageRequest page) {
        return pool.preparedQuery("SELECT " + DETAIL_COLUMNS + " FROM agent WHERE ($1::bigint IS NULL OR org_id = $1) "
                        + "ORDER BY id LIMIT $2 OFFSET $3")
                .execute(Tuple.of(orgId, page.perPage(), page.offset()))
                .map(rows -> {
                    List<AgentDetails> list = new ArrayList<>();
                    rows.forEach(r -> list.add(details(r, null)));
                    return list;
                });
    }

    /** One agent; with {@code orgId}, only if it belongs to that organization (else 404). */
    public Uni<AgentDetails> detail(String rawId, Long orgId) {
        long id = parseId(rawId);
        return pool.preparedQuery("SELECT " + DETAIL_COLUMNS + " FROM agent WHERE id = $1 AND ($2::bigint IS NULL OR org_id = $2)")
                .execute(Tuple.of(id, orgId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("agent " + id + " not found");
                    }
                    return details(rows.iterator().next(), null);
                });
    }

    /** Renames an agent or changes whether it takes new work; null leaves a field as it is. */
    public Uni<AgentDetails> update(String rawId, Long orgId, String name, Boolean noSchedule) {
        long id = parseId(rawId);
        if (name != null) {
            validateName(name);
        }
        return pool.preparedQuery("UPDATE agent SET name = COALESCE($3, name), no_schedule = COALESCE($4, no_schedule), "
                        + "updated_at = now() WHERE id = $1 AND ($2::bigint IS NULL OR org_id = $2) RETURNING " + DETAIL_COLUMNS)
                .execute(Tuple.of(id, orgId, name, noSchedule))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("agent " + id + " not found");
                    }
                    return details(rows.iterator().next(), null);
                })
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? new ConflictException("an agent named '" + name + "' already exists") : e);
    }

    /** Removes an agent; whatever it was running goes back to the queue at once. */
    public Uni<Void> delete(String rawId) {
        return delete(rawId, null);
    }

    /** Removes an agent (with {@code orgId}: only one of that organization); its running work goes back to the queue. */
    public Uni<Void> delete(String rawId, Long orgId) {
        long id = parseId(rawId);
        return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM agent WHERE id = $1 AND ($2::bigint IS NULL OR org_id = $2)")
                        .execute(Tuple.of(id, orgId))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("agent " + id + " not found");
                    }
                    return tx.preparedQuery("SELECT id FROM pipeline WHERE agent_id = $1 AND status = 'running' FOR UPDATE")
                            .execute(Tuple.of(id));
                })
                .chain(rows -> {
                    List<Uni<Void>> requeues = new ArrayList<>();
                    rows.forEach(r -> requeues.add(pipelines.requeue(tx, r.getLong("id"))));
                    return requeues.isEmpty() ? Uni.createFrom().voidItem()
                            : Uni.join().all(requeues).andFailFast().replaceWithVoid();
                })
                .call(() -> notifications.notify(tx, Notifications.QUEUE, "")));
    }

    /** Removes every agent of organization {@code orgId}, one by one (their running work goes back to the queue). */
    public Uni<Integer> deleteAllOf(long orgId) {
        return pool.preparedQuery("SELECT id FROM agent WHERE org_id = $1").execute(Tuple.of(orgId)).chain(rows -> {
            List<Long> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getLong("id")));
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (long id : ids) {
                chain = chain.chain(() -> delete(String.valueOf(id), orgId));
            }
            return chain.replaceWith(ids.size());
        });
    }

    /** The agent a token belongs to; 401 when the token is missing or unknown. */
    public Uni<Agent> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Uni.createFrom().failure(new UnauthorizedException("agent token required (X-Shoal-Agent-Token)"));
        }
        String trimmed = token.trim();
        if (!trimmed.startsWith(TOKEN_PREFIX) || trimmed.length() < TOKEN_PREFIX.length() + LOOKUP_LENGTH + 1
                || trimmed.length() > 200) {
            return Uni.createFrom().failure(new UnauthorizedException("unknown agent token"));
        }
        byte[] presented = sha256(trimmed);
        return pool.preparedQuery("SELECT id, name, labels, platform, created_at, last_seen_at, org_id, no_schedule, token_hash "
                        + "FROM agent WHERE token_lookup = $1")
                .execute(Tuple.of(lookup(trimmed)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new UnauthorizedException("unknown agent token");
                    }
                    Row row = rows.iterator().next();
                    if (!MessageDigest.isEqual(presented, row.getBuffer("token_hash").getBytes())) {
                        throw new UnauthorizedException("unknown agent token");
                    }
                    return view(row, null);
                });
    }

    static Agent view(Row r, String token) {
        Map<String, String> labels = new TreeMap<>();
        JsonObject json = r.getJsonObject("labels");
        if (json != null) {
            json.forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return new Agent(r.getLong("id"), r.getString("name"), labels, r.getString("platform"),
                PipelineRepository.instant(r.getOffsetDateTime("created_at")),
                PipelineRepository.instant(r.getOffsetDateTime("last_seen_at")), token, r.getLong("org_id"),
                Boolean.TRUE.equals(r.getBoolean("no_schedule")));
    }

    static AgentDetails details(Row r, String token) {
        Agent a = view(r, token);
        return new AgentDetails(a.id(), a.name(), a.labels(), a.platform(), a.orgId(), a.noSchedule(),
                r.getInteger("capacity"), r.getString("backend"), r.getString("version"), r.getLong("created_by"),
                a.createdAt(), PipelineRepository.instant(r.getOffsetDateTime("updated_at")), a.lastSeenAt(),
                PipelineRepository.instant(r.getOffsetDateTime("last_work_at")), token);
    }

    private static long parseId(String rawId) {
        try {
            long id = Long.parseLong(rawId);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new NotFoundException("agent '" + (rawId.length() > 20 ? rawId.substring(0, 20) + "…" : rawId) + "' not found");
    }

    private static void validateName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new ValidationException("name must be 1-100 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static String newToken() {
        StringBuilder token = new StringBuilder(TOKEN_PREFIX);
        for (int i = 0; i < 40; i++) {
            token.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return token.toString();
    }

    private static String lookup(String token) {
        return token.substring(TOKEN_PREFIX.length(), TOKEN_PREFIX.length() + LOOKUP_LENGTH);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
