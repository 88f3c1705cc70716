package dev.shoal.pipeline.compat.woodpecker.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.LogEntryView;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.PipelineView;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.RepoView;
import dev.shoal.pipeline.compat.woodpecker.service.WoodpeckerService;
import dev.shoal.pipeline.log.service.LogService;
import dev.shoal.pipeline.notify.Notifications;
import dev.shoal.pipeline.pipeline.service.AuthorAvatars;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.platform.identity.Caller;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Woodpecker's server-sent event streams: a step's log line by line, and every pipeline change.
 * Both are driven by the existing wake-ups (PostgreSQL NOTIFY after commit); nothing waits on a
 * thread.
 */
@Path("/api/stream")
public class WoodpeckerStreamResource {

    private static final Duration PING = Duration.ofSeconds(30);
    private static final Duration LOOKUP = Duration.ofSeconds(10);

    private final WoodpeckerSupport support;
    private final WoodpeckerService woodpecker;
    private final LogService logs;
    private final Notifications notifications;
    private final ObjectMapper mapper;

    public WoodpeckerStreamResource(WoodpeckerSupport support, WoodpeckerService woodpecker, LogService logs,
                                    Notifications notifications, ObjectMapper mapper) {
        this.support = support;
        this.woodpecker = woodpecker;
        this.logs = logs;
        this.notifications = notifications;
        this.mapper = mapper;
    }

    /**
     * Each line as a message whose data is a log entry (JSON); once the step has finished and every
     * line was sent, an {@code error} event with data {@code eof}, as Woodpecker ends it.
     */
    @GET
    @Blocking
    @Path("/logs/{repo_id}/{pipeline}/{step_id}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> logs(@PathParam("repo_id") String repoId, @PathParam("pipeline") String number,
                                        @PathParam("step_id") String stepId, @Context Sse sse) {
        // Looked up before the stream starts (on a worker thread), so an unknown step is a 404, not an empty stream.
        StepRow found = support.step(repoId, number, stepId).await().atMost(LOOKUP);
        return Uni.createFrom().item(found).onItem().transformToMulti(step -> {
            LogLines lines = new LogLines(step.id(), WoodpeckerViews.unix(step.startedAt()));
            return logs.follow(step.id(), 0).onItem().transformToIterable(event -> {
                if (event.end()) {
                    List<OutboundSseEvent> out = new ArrayList<>(lines.finish().stream().map(e -> entry(sse, e)).toList());
                    out.add(sse.newEventBuilder().name("error").data("eof").build());
                    return out;
                }
                return lines.accept(event.text(), Instant.now().getEpochSecond()).stream().map(e -> entry(sse, e)).toList();
            });
        });
    }

    private OutboundSseEvent entry(Sse sse, LogEntryView entry) {
        return sse.newEventBuilder().data(json(entry)).build();
    }

    /** JSON text as the event's data (one line), as Woodpecker's clients parse it. */
    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Every pipeline change as {@code {"repo": …, "pipeline": …}}. Public repositories' pipelines go
     * to everyone; private ones only to site admins, since one stream spans every organization and
     * the caller's memberships are not known here. A comment line every 30 s keeps proxies open.
     */
    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        // Read now: the request scope is gone by the time changes arrive.
        Caller caller = support.caller();
        String publicUrl = support.publicUrl();
        AuthorAvatars avatars = support.avatars();
        Multi<OutboundSseEvent> changes = Multi.createFrom().<String>emitter(emitter -> {
            Runnable stop = notifications.listenToPipelines(emitter::emit);
            emitter.onTermination(stop);
        }).onItem().transformToUniAndConcatenate(id -> event(caller, publicUrl, avatars, Long.parseLong(id)))
                .filter(Objects::nonNull)
                .map(payload -> sse.newEventBuilder().data(json(payload)).build());
        Multi<OutboundSseEvent> pings = Multi.createFrom().ticks().every(PING)
                .map(tick -> sse.newEventBuilder().comment("ping").build());
        return Multi.createBy().merging().streams(changes, pings);
    }

    private Uni<Map<String, Object>> event(Caller caller, String publicUrl, AuthorAvatars avatars, long pipelineId) {
        return woodpecker.change(pipelineId, caller.siteAdmin()).map(found -> found.<Map<String, Object>>map(c -> Map.of(
                "repo", RepoView.of(c.repo(), c.settings(), support),
                "pipeline", PipelineView.of(c.repo(), c.pipeline(), c.steps(), publicUrl, avatars))).orElse(null));
    }
}
