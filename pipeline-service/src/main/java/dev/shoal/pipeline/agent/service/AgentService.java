package dev.shoal.pipeline.agent.service;

import dev.shoal.pipeline.agent.Agent;
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
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new ValidationException("name must be 1-100 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
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
        return pool.preparedQuery("INSERT INTO agent (name, labels, platform, token_lookup, token_hash, created_by) "
                        + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, name, labels, platform, created_at, last_seen_at")
                .execute(Tuple.from(new Object[] {name, new JsonObject(new LinkedHashMap<>(cleanLabels)), platform,
                        lookup(token), io.vertx.core.buffer.Buffer.buffer(sha256(token)), caller.userId()}))
                .map(rows -> view(rows.iterator().next(), token))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? new ConflictException("an agent named '" + name + "' already exists") : e);
    }

    public Uni<List<Agent>> list(PageRequest page) {
        return pool.preparedQuery("SELECT id, name, labels, platform, created_at, last_seen_at FROM agent ORDER BY id LIMIT $1 OFFSET $2")
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

    /** Removes an agent; whatever it was running goes back to the queue at once. */
    public Uni<Void> delete(String rawId) {
        long id;
        try {
            id = Long.parseLong(rawId);
        } catch (NumberFormatException e) {
            throw new NotFoundException("agent '" + rawId + "' not found");
        }
        return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM agent WHERE id = $1").execute(Tuple.of(id))
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
        return pool.preparedQuery("SELECT id, name, labels, platform, created_at, last_seen_at, token_hash FROM agent WHERE token_lookup = $1")
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
                PipelineRepository.instant(r.getOffsetDateTime("last_seen_at")), token);
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
