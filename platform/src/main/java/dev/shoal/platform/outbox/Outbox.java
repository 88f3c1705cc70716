package dev.shoal.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventType;
import dev.shoal.platform.observability.TraceHeaders;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes events into the outbox table, on the same connection (and so in the same transaction)
 * as the state change they describe. The {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper mapper;
    private final TraceHeaders trace;

    public Outbox(ObjectMapper mapper, TraceHeaders trace) {
        this.mapper = mapper;
        this.trace = trace;
    }

    /** Builds an envelope for {@code type} and appends it; the key is the repository id, else {@code key}. */
    public <T> Uni<EventEnvelope> append(SqlClient tx, EventType<T> type, EventEnvelope.Actor actor,
                                         EventEnvelope.RepoRef repo, T data, long key) {
        EventEnvelope event = new EventEnvelope(UUID.randomUUID(), type.name(), type.version(), Instant.now(),
                actor, repo, mapper.valueToTree(data));
        return append(tx, type.topic(), String.valueOf(key), event).replaceWith(event);
    }

    public Uni<Void> append(SqlClient tx, String topic, String key, EventEnvelope event) {
        String payload;
        try {
            payload = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("event cannot be serialized: " + event.type(), e));
        }
        // The writer's trace context (null when tracing is off) travels with the row to Kafka.
        return tx.preparedQuery("INSERT INTO outbox_event (event_id, topic, event_key, payload, trace_headers) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(event.id(), topic, key, payload, trace.capture()))
                .replaceWithVoid();
    }
}
