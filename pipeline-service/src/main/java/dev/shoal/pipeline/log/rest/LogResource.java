package dev.shoal.pipeline.log.rest;

import dev.shoal.pipeline.log.LogEvent;
import dev.shoal.pipeline.log.service.LogService;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.pipeline.pipeline.StepRow;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/** A step's log: whole as text, or followed live as server-sent events. */
@Path("/api/v1/repos/{org}/{repo}/pipelines/{number}/steps/{step_number}/log")
public class LogResource {

    private static final Duration LOOKUP = Duration.ofSeconds(10);

    private final LogService logs;
    private final CurrentCaller caller;

    public LogResource(LogService logs, CurrentCaller caller) {
        this.logs = logs;
        this.caller = caller;
    }

    /**
     * The step is looked up before the stream starts, on a worker thread, so a wrong path answers
     * 404 in the envelope rather than an empty stream.
     */
    @GET
    @Blocking
    @Produces(MediaType.TEXT_PLAIN)
    public Multi<byte[]> read(@PathParam("org") String org, @PathParam("repo") String repo,
                              @PathParam("number") String number, @PathParam("step_number") String step) {
        StepRow found = logs.step(caller.get(), org, repo, number, step).await().atMost(LOOKUP);
        return logs.read(found.id());
    }

    /**
     * Events carry the text as data and the byte offset where it ends as id; a client that
     * reconnects with {@code Last-Event-ID} continues from there. The last event is {@code end}.
     */
    @GET
    @Blocking
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@PathParam("org") String org, @PathParam("repo") String repo,
                                          @PathParam("number") String number, @PathParam("step_number") String step,
                                          @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        long from = LogService.parseOffset(lastEventId);
        StepRow found = logs.step(caller.get(), org, repo, number, step).await().atMost(LOOKUP);
        return logs.follow(found.id(), from).map(event -> toSse(sse, event));
    }

    private static OutboundSseEvent toSse(Sse sse, LogEvent event) {
        if (event.end()) {
            return sse.newEventBuilder().name("end").id(String.valueOf(event.offset())).data("").build();
        }
        return sse.newEventBuilder().name("log").id(String.valueOf(event.offset()))
                .mediaType(MediaType.TEXT_PLAIN_TYPE).data(event.text()).build();
    }
}
