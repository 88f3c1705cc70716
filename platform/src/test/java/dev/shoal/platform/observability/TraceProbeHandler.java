package dev.shoal.platform.observability;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.messaging.EventHandler;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Records, per event id, the trace the consumer ran in (as the handler sees it: Span.current()). */
@ApplicationScoped
public class TraceProbeHandler implements EventHandler {

    static final Map<String, String> TRACE_BY_EVENT = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "trace-probe";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.ISSUE);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        // after a statement on the transaction, as a real handler's code would run
        return tx.query("SELECT 1").execute().invoke(rows ->
                TRACE_BY_EVENT.put(event.id().toString(), Span.current().getSpanContext().getTraceId())).replaceWithVoid();
    }
}
