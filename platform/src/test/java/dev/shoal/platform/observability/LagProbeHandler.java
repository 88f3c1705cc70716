package dev.shoal.platform.observability;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.messaging.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * A consumer that can be held: while {@link #HOLD} is set it refuses events of repositories named
 * {@code hold-*} (so they are retried and wait in Kafka), which makes its lag observable.
 */
@ApplicationScoped
public class LagProbeHandler implements EventHandler {

    static volatile boolean HOLD;

    @Override
    public String name() {
        return "lag-probe";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.PIPELINE);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        if (HOLD && event.repo() != null && event.repo().name().startsWith("hold-")) {
            return Uni.createFrom().failure(new IllegalStateException("held by the test"));
        }
        return Uni.createFrom().voidItem();
    }
}
