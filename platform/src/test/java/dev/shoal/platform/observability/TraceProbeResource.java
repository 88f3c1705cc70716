package dev.shoal.platform.observability;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.outbox.Outbox;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.MDC;

/** Exists only in tests: shows what a request sees of the MDC and the trace, and writes a traced event. */
@Path("/trace-probe")
public class TraceProbeResource {

    private final Pool pool;
    private final Outbox outbox;

    public TraceProbeResource(Pool pool, Outbox outbox) {
        this.pool = pool;
        this.outbox = outbox;
    }

    /** Runs on the event loop (a Uni), after a database round trip. */
    @GET
    @Path("/context")
    public Uni<Map<String, Object>> onEventLoop() {
        return pool.query("SELECT 1").execute().map(rows -> seen());
    }

    /** Runs on a worker thread (a plain return type is blocking in Quarkus REST). */
    @GET
    @Path("/context-blocking")
    public Map<String, Object> onWorker() {
        return seen();
    }

    /** Appends an event for {@link TraceProbeHandler} on shoal.issue, named {@code marker}. */
    @POST
    @Path("/events/{marker}")
    public Uni<Map<String, Object>> event(@PathParam("marker") String marker) {
        return pool.withTransaction(tx -> outbox.append(tx, EventTypes.REPO_CREATED, new EventEnvelope.Actor(1L, "chris"),
                                new EventEnvelope.RepoRef(1L, "org", marker, false),
                                new RepoChanged(1, 1, "org", marker, "", false, "main"), 1)
                        .chain(event -> tx.preparedQuery("UPDATE outbox_event SET topic = $2 WHERE event_id = $1")
                                .execute(Tuple.of(event.id(), Topics.ISSUE)).replaceWith(event)))
                .map(event -> {
                    Map<String, Object> body = seen();
                    body.put("event_id", event.id().toString());
                    return body;
                });
    }

    private static Map<String, Object> seen() {
        Map<String, Object> body = new HashMap<>();
        body.put("request_id", MDC.get(RequestIdFilter.MDC_KEY));
        body.put("mdc_trace_id", MDC.get("traceId"));
        body.put("trace_id", Span.current().getSpanContext().getTraceId());
        body.put("thread", Thread.currentThread().getName());
        return body;
    }
}
