package dev.shoal.platform.observability;

import dev.shoal.platform.outbox.OutboxRelay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** How many outbox rows Kafka has not acknowledged yet, and how old the oldest one is. */
@ApplicationScoped
public class OutboxBacklog {

    /** A sample: {@code oldestAgeSeconds} is 0 when nothing waits. */
    public record Snapshot(long rows, double oldestAgeSeconds) {
    }

    private final OutboxRelay relay;
    private final Pool pool;

    public OutboxBacklog(OutboxRelay relay, Pool pool) {
        this.relay = relay;
        this.pool = pool;
    }

    public Uni<Snapshot> sample() {
        // The oldest unsent row by seq: the relay's partial index makes this one index probe.
        Uni<Double> oldest = pool.query("SELECT EXTRACT(EPOCH FROM now() - created_at)::float8 FROM outbox_event "
                        + "WHERE sent_at IS NULL ORDER BY seq LIMIT 1").execute()
                .map(rows -> rows.size() == 0 ? 0.0 : Math.max(0.0, rows.iterator().next().getDouble(0)));
        return Uni.combine().all().unis(relay.backlog(), oldest).asTuple()
                .map(t -> new Snapshot(t.getItem1(), t.getItem2()));
    }
}
