package dev.shoal.platform.messaging;

import dev.shoal.platform.event.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.List;

/**
 * A consumer of Shoal events. Implement it as a bean and {@link IdempotentConsumers} runs it:
 * {@link #apply} is called inside a transaction that also records the event id, so each event's
 * effect happens once even though Kafka delivers at least once. A failure rolls both back and the
 * event is retried, in order.
 */
public interface EventHandler {

    /** Unique within the service; also names the Kafka consumer group. */
    String name();

    List<String> topics();

    Uni<Void> apply(SqlConnection tx, EventEnvelope event);
}
