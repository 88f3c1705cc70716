package dev.shoal.pipeline.compat.woodpecker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.agent.QueueInfo;
import dev.shoal.pipeline.agent.service.QueueAdminService;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.TaskView;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Woodpecker's queue routes (site admins): info, pause, resume, wait for no running pipeline. */
@Path("/api/queue")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerQueueResource {

    /** Woodpecker's queue info, with Shoal's per-label and per-agent counts. */
    public record QueueInfoView(List<TaskView> pending, @JsonProperty("waiting_on_deps") List<TaskView> waitingOnDeps,
                                List<TaskView> running, Stats stats, boolean paused,
                                @JsonProperty("label_counts") List<QueueInfo.LabelCount> labelCounts,
                                @JsonProperty("agent_counts") List<QueueInfo.AgentCount> agentCounts) {
    }

    public record Stats(@JsonProperty("worker_count") int workerCount, @JsonProperty("pending_count") int pendingCount,
                        @JsonProperty("waiting_on_deps_count") int waitingOnDepsCount,
                        @JsonProperty("running_count") int runningCount) {
    }

    private final WoodpeckerSupport support;
    private final QueueAdminService queue;

    public WoodpeckerQueueResource(WoodpeckerSupport support, QueueAdminService queue) {
        this.support = support;
        this.queue = queue;
    }

    @GET
    @Path("/info")
    public Uni<QueueInfoView> info() {
        return queue.info().map(info -> new QueueInfoView(tasks(info.pending()), tasks(info.blocked()), tasks(info.running()),
                new Stats(info.workerCount(), info.pending().size(), info.blocked().size(), info.running().size()),
                info.paused(), info.labels(), info.agents()));
    }

    @POST
    @Path("/pause")
    @ResponseStatus(204)
    public Uni<Void> pause() {
        return queue.pause(support.caller().login());
    }

    @POST
    @Path("/resume")
    @ResponseStatus(204)
    public Uni<Void> resume() {
        return queue.resume(support.caller().login());
    }

    /** Answers (204) once no pipeline runs; {@code ?wait=} seconds (default 60, at most 300), then 503. */
    @GET
    @Path("/norunningpipelines")
    @ResponseStatus(204)
    public Uni<Void> noRunningPipelines(@QueryParam("wait") String wait) {
        return queue.awaitNoRunning(wait);
    }

    private static List<TaskView> tasks(List<QueueInfo.Task> tasks) {
        return tasks.stream().map(t -> new TaskView(String.valueOf(t.pipelineId()), new LinkedHashMap<>(t.labels()), List.of(),
                Map.of(), List.of("success", "failure"), t.agentId() == null ? 0 : t.agentId(), t.repoId(), t.number())).toList();
    }
}
