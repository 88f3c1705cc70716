package dev.shoal.pipeline.compat.woodpecker;

import dev.shoal.pipeline.compat.woodpecker.WoodpeckerViews.LogEntryView;
import dev.shoal.pipeline.compat.woodpecker.WoodpeckerViews.PipelineView;
import dev.shoal.pipeline.compat.woodpecker.WoodpeckerViews.RepoView;
import dev.shoal.pipeline.log.service.LogService;
import dev.shoal.pipeline.notify.Notifications;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.pipeline.settings.service.CiSettingsService;
import dev.shoal.platform.identity.Caller;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Woodpecker's server-sent event streams: a step's log line by line, and every pipeline change.
 * Both are driven by the existing wake-ups (PostgreSQL NOTIFY after commit); nothing waits on a
 * thread.
 */
@Path("/api/stream")
public class WoodpeckerStreamResource {

    private static final Duration LOOKUP = Duration.ofSeconds(10);
    private static final Duration PING = Duration.ofSeconds(30);

    private final WoodpeckerLogResource logResource;
    private final WoodpeckerSupport support;
    private final LogService logs;
    private final Notifications notifications;
    private final PipelineRepository pipelines;
    private final RepoDirectory repos;
    private final CiSettingsService settings;
    private final Pool pool;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    public WoodpeckerStreamResource(WoodpeckerLogResource logResource, WoodpeckerSupport support, LogService logs,
                                    Notifications notifications, PipelineRepository pipelines, RepoDirectory repos,
                                    CiSettingsService settings, Pool pool, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.mapper = mapper;
        this.logResource = logResource;
        this.support = support;
        this.logs = logs;
        this.notifications = notifications;
        this.pipelines = pipelines;
        this.repos = repos;
        this.settings = settings;
        this.pool = pool;
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
        StepRow step = logResource.step(repoId, number, stepId).await().atMost(LOOKUP);
        LogLines lines = new LogLines(step.id(), WoodpeckerViews.unix(step.startedAt()));
        return logs.follow(step.id(), 0).onItem().transformToIterable(event -> {
            if (event.end()) {
                List<OutboundSseEvent> out = new java.util.ArrayList<>(lines.finish().stream().map(e -> entry(sse, e)).toList());
                out.add(sse.newEventBuilder().name("error").data("eof").build());
                return out;
            }
            return lines.accept(event.text(), java.time.Instant.now().getEpochSecond()).stream().map(e -> entry(sse, e)).toList();
        });
    }

    private OutboundSseEvent entry(Sse sse, LogEntryView entry) {
        return sse.newEventBuilder().data(json(entry)).build();
    }

    /** JSON text as the event's data (one line), as Woodpecker's clients parse it. */
    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
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
        Multi<OutboundSseEvent> changes = Multi.createFrom().<String>emitter(emitter -> {
            Runnable stop = notifications.listenToPipelines(emitter::emit);
            emitter.onTermination(stop);
        }).onItem().transformToUniAndConcatenate(id -> event(caller, publicUrl, Long.parseLong(id)))
                .filter(java.util.Objects::nonNull)
                .map(payload -> sse.newEventBuilder().data(json(payload)).build());
        Multi<OutboundSseEvent> pings = Multi.createFrom().ticks().every(PING)
                .map(tick -> sse.newEventBuilder().comment("ping").build());
        return Multi.createBy().merging().streams(changes, pings);
    }

    private Uni<Map<String, Object>> event(Caller caller, String publicUrl, long pipelineId) {
        return pipelines.byId(pool, pipelineId, false).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            var p = found.get();
            return repos.byId(pool, p.repoId()).chain(repo -> {
                if (repo.isEmpty() || repo.get().isPrivate() && !caller.siteAdmin()) {
                    return Uni.createFrom().nullItem();
                }
                return settings.get(repo.get().id()).chain(s -> pipelines.steps(pool, p.id()).map(steps -> Map.<String, Object>of(
                        "repo", RepoView.of(repo.get(), s, support),
                        "pipeline", PipelineView.of(repo.get(), p, steps, publicUrl))));
            });
        });
    }

}
