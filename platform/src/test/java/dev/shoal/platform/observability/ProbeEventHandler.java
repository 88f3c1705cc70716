package dev.shoal.platform.observability;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.messaging.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** A consumer that does nothing but be counted, so the per-consumer counter can be observed. */
@ApplicationScoped
public class ProbeEventHandler implements EventHandler {

    @Override
    public String name() {
        return "ops-probe";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.ISSUE);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        return Uni.createFrom().voidItem();
    }
}
