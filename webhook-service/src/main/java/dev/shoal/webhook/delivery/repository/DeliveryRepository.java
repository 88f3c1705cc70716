package dev.shoal.webhook.delivery.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.shoal.webhook.delivery.AttemptResult;
import dev.shoal.webhook.delivery.ClaimedDelivery;
import dev.shoal.webhook.delivery.DeliveryDetail;
import dev.shoal.webhook.delivery.DeliverySummary;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class DeliveryRepository {

    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String RETRYING = "retrying";

    /** Channel of the NOTIFY sent with each new due row; PostgreSQL delivers it only on commit. */
    public static final String CHANNEL = "webhook_delivery";

    private static final String SUMMARY = "id, event_type, response_code, duration_ms, status, delivered_at, delivery_uuid, attempts";
    /**
     * The oldest unfinished delivery of a hook (complete it with a condition on {@code e} and
     * {@link #LIMIT_ONE}). Asked as "is this row the hook's first unfinished one" rather than "does an
     * older unfinished row exist": the planner costs a NOT EXISTS as if unfinished rows were spread
     * evenly over the table, walks the primary key from the start through the finished history,
     * and takes seconds per claim with a backlog (EXPLAIN ANALYZE, 20k unfinished rows behind 50k
     * finished ones: 4 s). This form reads the first entry of delivery_unfinished_by_hook (5 ms).
     */
    private static final String OLDEST_UNFINISHED = "SELECT e.id FROM delivery e WHERE e.status IN ('pending', 'retrying') AND ";
    private static final String LIMIT_ONE = " ORDER BY e.hook_id, e.id LIMIT 1";
    /** What a claim returns, for {@link #claimed}. */
    private static final String CLAIMED = "d.id, d.delivery_uuid, d.hook_id, d.event_type, d.body, d.round_attempts, "
            + "h.url, h.secret, h.parallel";
    private static final TypeReference<LinkedHashMap<String, String>> HEADERS = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    public DeliveryRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Queues a delivery. The same event reaches a hook once even if it is offered twice
     * ({@code ON CONFLICT}); returns whether a row was written.
     */
    public Uni<Boolean> insert(SqlClient tx, long hookId, UUID deliveryUuid, String eventType, UUID eventId, byte[] body) {
        return tx.preparedQuery("INSERT INTO delivery (hook_id, delivery_uuid, event_type, event_id, body, status) "
                        + "VALUES ($1, $2, $3, $4, $5, 'pending') ON CONFLICT DO NOTHING")
                .execute(Tuple.of(hookId, deliveryUuid, eventType, eventId, Buffer.buffer(body)))
                .map(result -> result.rowCount() > 0);
    }

    /**
     * Queues one event's delivery to each of {@code hookIds} (each with a fresh uuid) and, when a row
     * was written, the NOTIFY that wakes the dispatchers on commit: one statement for the lot, as the
     * consumer's transaction holds the event's place in its partition meanwhile. An event offered
     * twice writes nothing the second time ({@code ON CONFLICT}); returns the rows written.
     */
    public Uni<Integer> insertAll(SqlClient tx, List<Long> hookIds, String eventType, UUID eventId, byte[] body) {
        UUID[] uuids = new UUID[hookIds.size()];
        for (int i = 0; i < uuids.length; i++) {
            uuids[i] = UUID.randomUUID();
        }
        return tx.preparedQuery("WITH written AS (INSERT INTO delivery (hook_id, delivery_uuid, event_type, event_id, body, status) "
                        + "SELECT t.hook_id, t.delivery_uuid, $3, $4, $5, 'pending' "
                        + "FROM unnest($1::bigint[], $2::uuid[]) AS t (hook_id, delivery_uuid) ORDER BY t.hook_id "
                        + "ON CONFLICT DO NOTHING RETURNING 1), "
                        + "counted AS (SELECT count(*) AS n FROM written) "
                        + "SELECT n, CASE WHEN n > 0 THEN pg_notify('" + CHANNEL + "', '') END FROM counted")
                .execute(Tuple.of(hookIds.toArray(Long[]::new), uuids, eventType, eventId, Buffer.buffer(body)))
                .map(rows -> (int) rows.iterator().next().getLong(0).longValue());
    }

    /** Wakes every dispatcher listening, once the surrounding transaction commits. */
    public Uni<Void> notifyDue(SqlClient tx) {
        return tx.query("NOTIFY " + CHANNEL).execute().replaceWithVoid();
    }

    public Uni<List<DeliverySummary>> recent(SqlClient client, long hookId, int limit) {
        return client.preparedQuery("SELECT " + SUMMARY + " FROM delivery WHERE hook_id = $1 ORDER BY id DESC LIMIT $2")
                .execute(Tuple.of(hookId, limit))
                .map(rows -> {
                    List<DeliverySummary> list = new ArrayList<>();
                    rows.forEach(row -> list.add(summary(row)));
                    return list;
                });
    }

    public Uni<Optional<DeliveryDetail>> detail(SqlClient client, long hookId, long deliveryId) {
        return client.preparedQuery("SELECT " + SUMMARY + ", next_attempt_at, last_error, created_at, body "
                        + "FROM delivery WHERE hook_id = $1 AND id = $2")
                .execute(Tuple.of(hookId, deliveryId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Optional.<DeliveryDetail>empty());
                    }
                    Row delivery = rows.iterator().next();
                    return client.preparedQuery("SELECT * FROM delivery_attempt WHERE delivery_id = $1 ORDER BY attempt DESC")
                            .execute(Tuple.of(deliveryId))
                            .map(attempts -> Optional.of(detail(delivery, attempts)));
                });
    }

    /**
     * Reserves up to {@code limit} due deliveries for {@code lease}. Rows are locked with SKIP LOCKED,
     * so several dispatchers never take the same row; an expired lease (a process that died) makes
     * a row claimable again. A hook that is not {@code parallel} gets only its oldest unfinished
     * delivery, so its deliveries go out one at a time, in event order.
     *
     * <p>One statement, so it needs no explicit transaction (one round trip). Its commit need not
     * wait for the WAL flush ({@code synchronous_commit} off for this statement only): a claim lost
     * in a database crash only makes the row claimable again, and it is then sent once more with
     * the same uuid, which at-least-once delivery allows anyway.
     */
    public Uni<List<ClaimedDelivery>> claim(SqlClient client, int limit, Duration lease) {
        UUID token = UUID.randomUUID();
        long claimedAt = System.nanoTime();
        return client.preparedQuery("WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)), "
                        + "due AS (SELECT d.id FROM delivery d JOIN hook h ON h.id = d.hook_id "
                        + "WHERE d.status IN ('pending', 'retrying') AND d.next_attempt_at <= now() AND h.is_active "
                        + "AND (d.claimed_until IS NULL OR d.claimed_until < now()) "
                        + "AND (h.parallel OR d.id = (" + OLDEST_UNFINISHED + "e.hook_id = d.hook_id" + LIMIT_ONE + ")) "
                        + "ORDER BY d.next_attempt_at, d.id LIMIT $1 FOR UPDATE OF d SKIP LOCKED) "
                        + "UPDATE delivery d SET claim_token = $2, claimed_until = now() + $3 * interval '1 millisecond' "
                        + "FROM due, hook h, relaxed WHERE d.id = due.id AND h.id = d.hook_id "
                        + "RETURNING " + CLAIMED)
                .execute(Tuple.of(limit, token, lease.toMillis()))
                .map(rows -> {
                    List<ClaimedDelivery> claimed = new ArrayList<>();
                    rows.forEach(row -> claimed.add(claimed(row, token, claimedAt)));
                    claimed.sort((a, b) -> Long.compare(a.id(), b.id()));
                    return claimed;
                });
    }

    /** Extends a claim just before sending; false when the lease was lost to another dispatcher. */
    public Uni<Boolean> renew(SqlClient client, ClaimedDelivery claimed, Duration lease) {
        return client.preparedQuery("WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) "
                        + "UPDATE delivery SET claimed_until = now() + $3 * interval '1 millisecond' "
                        + "FROM relaxed WHERE id = $1 AND claim_token = $2")
                .execute(Tuple.of(claimed.id(), claimed.claimToken(), lease.toMillis()))
                .map(result -> result.rowCount() > 0);
    }

    /**
     * What {@link #complete} wrote: the attempt's number, the hook's failure streak when the
     * delivery ended (null when it did not end, or a success found no streak to reset), and the
     * hook's next delivery when it was claimed in the same statement.
     */
    public record Completion(int attempt, Integer streak, Optional<ClaimedDelivery> next) {
    }

    /**
     * Records an attempt, the delivery's new state (releasing the claim) and, when the delivery
     * ended, the hook's failure streak: one statement, so it is atomic without an explicit
     * transaction and costs one round trip. Empty when the claim was lost meanwhile (the row was
     * redelivered elsewhere or the hook deleted): nothing is written.
     *
     * <p>With {@code claimNext} (an ordered hook whose delivery succeeded) the same statement also
     * claims the hook's next due delivery, which only now became its oldest unfinished one, so an
     * ordered hook goes from one delivery to the next without waiting for a poll. The statement's
     * snapshot still shows this row unfinished, hence the {@code e.id <> $1} when looking for the
     * hook's oldest unfinished delivery.
     */
    public Uni<Optional<Completion>> complete(SqlClient client, ClaimedDelivery claimed, AttemptResult result, String status,
                                              Instant nextAttemptAt, boolean claimNext, Duration lease) {
        boolean ended = SUCCEEDED.equals(status) || FAILED.equals(status);
        UUID nextToken = UUID.randomUUID();
        long claimedAt = System.nanoTime();
        String sql = "WITH done AS (UPDATE delivery SET attempts = attempts + 1, round_attempts = round_attempts + 1, "
                + "status = $3, next_attempt_at = $4, response_code = $5, duration_ms = $6, delivered_at = now(), "
                + "last_error = $7, claim_token = NULL, claimed_until = NULL "
                + "WHERE id = $1 AND claim_token = $2 RETURNING id, hook_id, attempts), "
                + "attempt AS (INSERT INTO delivery_attempt (delivery_id, attempt, url, request_headers, response_code, "
                + "response_headers, response_body, response_truncated, error, duration_ms, started_at) "
                + "SELECT id, attempts, $8::text, $9::jsonb, $5::int, $10::jsonb, $11::text, $12::boolean, $7::text, $6::bigint, "
                + "$13::timestamptz FROM done), "
                // a success only writes the hook when there is a streak to reset: parallel deliveries
                // of one hook then do not queue on its row lock
                + "streak AS (UPDATE hook h SET consecutive_failures = CASE WHEN $15::boolean THEN 0 ELSE h.consecutive_failures + 1 END "
                + "FROM done WHERE $14::boolean AND h.id = done.hook_id AND (NOT $15::boolean OR h.consecutive_failures <> 0) "
                + "RETURNING h.consecutive_failures)";
        if (claimNext) {
            sql += ", due AS (SELECT d.id FROM delivery d JOIN hook h ON h.id = d.hook_id "
                    + "WHERE d.id = (" + OLDEST_UNFINISHED + "e.hook_id = $16 AND e.id <> $1" + LIMIT_ONE + ") "
                    + "AND d.status IN ('pending', 'retrying') AND d.next_attempt_at <= now() AND h.is_active AND NOT h.parallel "
                    + "AND (d.claimed_until IS NULL OR d.claimed_until < now()) AND EXISTS (SELECT 1 FROM done) "
                    + "FOR UPDATE OF d SKIP LOCKED), "
                    + "next AS (UPDATE delivery d SET claim_token = $17, claimed_until = now() + $18 * interval '1 millisecond' "
                    + "FROM due, hook h WHERE d.id = due.id AND h.id = d.hook_id RETURNING " + CLAIMED + ") "
                    + "SELECT done.attempts AS done_attempts, (SELECT consecutive_failures FROM streak) AS streak, next.* "
                    + "FROM done LEFT JOIN next ON TRUE";
        } else {
            sql += " SELECT done.attempts AS done_attempts, (SELECT consecutive_failures FROM streak) AS streak FROM done";
        }
        List<Object> params = new ArrayList<>(java.util.Arrays.asList(claimed.id(), claimed.claimToken(), status,
                nextAttemptAt.atOffset(ZoneOffset.UTC), result.responseCode(), result.durationMs(), result.error(),
                result.url(), new JsonObject(new LinkedHashMap<String, Object>(result.requestHeaders())),
                result.responseHeaders() == null ? null
                        : new JsonObject(new LinkedHashMap<String, Object>(result.responseHeaders())),
                result.responseBody(), result.truncated(), result.startedAt().atOffset(ZoneOffset.UTC), ended,
                result.success()));
        if (claimNext) {
            params.add(claimed.hookId());
            params.add(nextToken);
            params.add(lease.toMillis());
        }
        return client.preparedQuery(sql).execute(Tuple.from(params))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<Completion>empty();
                    }
                    Row row = rows.iterator().next();
                    Optional<ClaimedDelivery> next = claimNext && row.getValue("id") != null
                            ? Optional.of(claimed(row, nextToken, claimedAt)) : Optional.empty();
                    return Optional.of(new Completion(row.getInteger("done_attempts"), row.getInteger("streak"), next));
                });
    }

    /**
     * Sends a delivery again: a new round of attempts for the same row and uuid. Refused (false)
     * while an attempt is in flight, whose outcome would otherwise overwrite this request.
     */
    public Uni<Boolean> redeliver(SqlClient tx, long hookId, long deliveryId) {
        return tx.preparedQuery("UPDATE delivery SET status = 'pending', round_attempts = 0, next_attempt_at = now(), "
                        + "claim_token = NULL, claimed_until = NULL "
                        + "WHERE hook_id = $1 AND id = $2 AND (claimed_until IS NULL OR claimed_until < now())")
                .execute(Tuple.of(hookId, deliveryId))
                .map(result -> result.rowCount() > 0);
    }

    public Uni<Boolean> exists(SqlClient client, long hookId, long deliveryId) {
        return client.preparedQuery("SELECT 1 FROM delivery WHERE hook_id = $1 AND id = $2")
                .execute(Tuple.of(hookId, deliveryId)).map(rows -> rows.size() > 0);
    }

    /** Ends the unsent deliveries of a hook that was deactivated; in-flight ones finish on their own. */
    public Uni<Integer> failUnsent(SqlClient tx, long hookId, String reason) {
        return tx.preparedQuery("UPDATE delivery SET status = 'failed', last_error = $2 WHERE hook_id = $1 "
                        + "AND status IN ('pending', 'retrying') AND (claimed_until IS NULL OR claimed_until < now())")
                .execute(Tuple.of(hookId, reason))
                .map(result -> result.rowCount());
    }

    private static ClaimedDelivery claimed(Row row, UUID token, long claimedAt) {
        return new ClaimedDelivery(row.getLong("id"), row.getUUID("delivery_uuid"), row.getLong("hook_id"),
                row.getString("event_type"), row.getBuffer("body").getBytes(), row.getInteger("round_attempts"), token,
                row.getString("url"), row.getString("secret"), row.getBoolean("parallel"), claimedAt);
    }

    private static DeliverySummary summary(Row row) {
        return new DeliverySummary(row.getLong("id"), row.getString("event_type"), row.getInteger("response_code"),
                row.getLong("duration_ms"), SUCCEEDED.equals(row.getString("status")), instant(row.getOffsetDateTime("delivered_at")),
                row.getUUID("delivery_uuid"), row.getInteger("attempts"), row.getString("status"));
    }

    private DeliveryDetail detail(Row d, Iterable<Row> attempts) {
        List<DeliveryDetail.Attempt> history = new ArrayList<>();
        Row latest = null;
        for (Row a : attempts) {
            if (latest == null) {
                latest = a;
            }
            history.add(new DeliveryDetail.Attempt(a.getInteger("attempt"), a.getInteger("response_code"),
                    a.getLong("duration_ms"), a.getString("error"), instant(a.getOffsetDateTime("started_at"))));
        }
        byte[] body = d.getBuffer("body").getBytes();
        DeliveryDetail.Request request = new DeliveryDetail.Request(latest == null ? null : latest.getString("url"),
                latest == null ? Map.of() : headers(latest.getValue("request_headers")), bodyNode(body));
        DeliveryDetail.Response response = latest == null || latest.getInteger("response_code") == null ? null
                : new DeliveryDetail.Response(latest.getInteger("response_code"), headers(latest.getValue("response_headers")),
                latest.getString("response_body"), latest.getBoolean("response_truncated"));
        String status = d.getString("status");
        return new DeliveryDetail(d.getLong("id"), d.getString("event_type"), d.getInteger("response_code"),
                d.getLong("duration_ms"), SUCCEEDED.equals(status), instant(d.getOffsetDateTime("delivered_at")),
                d.getUUID("delivery_uuid"), d.getInteger("attempts"), status,
                PENDING.equals(status) || RETRYING.equals(status) ? instant(d.getOffsetDateTime("next_attempt_at")) : null,
                d.getString("last_error"), instant(d.getOffsetDateTime("created_at")), request, response, history);
    }

    private Map<String, String> headers(Object json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return mapper.readValue(json.toString(), HEADERS);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    /** The body as JSON when it is JSON (it always is for Shoal's payloads), else as text. */
    private JsonNode bodyNode(byte[] body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
        }
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
