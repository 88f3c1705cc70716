package dev.shoal.pipeline.compat.woodpecker;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.agent.QueueInfo;
import dev.shoal.pipeline.agent.service.AgentService;
import dev.shoal.pipeline.agent.service.QueueAdminService;
import dev.shoal.pipeline.compat.woodpecker.WoodpeckerViews.AgentView;
import dev.shoal.pipeline.compat.woodpecker.WoodpeckerViews.TaskView;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Woodpecker's agents (of the server, site admins; of an organization, its owners) and queue
 * (site admins). Agents created here use Shoal's agent protocol with the token shown once.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerAgentResource {

    /** Woodpecker reads only 'name' and 'no_schedule' of a new agent; Shoal also takes labels and platform. */
    public record AgentBody(String name, @JsonProperty("no_schedule") Boolean noSchedule,
                            @JsonProperty("custom_labels") Map<String, String> customLabels, String platform) {
    }

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
    private final AgentService agents;
    private final QueueAdminService queue;
    private final PipelineRepository pipelines;
    private final Pool pool;

    public WoodpeckerAgentResource(WoodpeckerSupport support, AgentService agents, QueueAdminService queue,
                                   PipelineRepository pipelines, Pool pool) {
        this.support = support;
        this.agents = agents;
        this.queue = queue;
        this.pipelines = pipelines;
        this.pool = pool;
    }

    // --- server agents ----------------------------------------------------------------------------

    @GET
    @Path("/agents")
    public Uni<List<AgentView>> list(@QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                     @QueryParam("per_page") String pp) {
        return agents.details(null, WoodpeckerSupport.page(page, perPage, pp)).map(l -> l.stream().map(AgentView::of).toList());
    }

    @POST
    @Path("/agents")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AgentView> create(AgentBody body) {
        AgentBody b = require(body);
        return agents.register(support.caller(), b.name(), b.customLabels(), b.platform(), null,
                Boolean.TRUE.equals(b.noSchedule())).map(AgentView::of);
    }

    @GET
    @Path("/agents/{agent_id}")
    public Uni<AgentView> get(@PathParam("agent_id") String id) {
        return agents.detail(id, null).map(AgentView::of);
    }

    /** What the agent runs now: its running pipelines as queue tasks. */
    @GET
    @Path("/agents/{agent_id}/tasks")
    public Uni<List<TaskView>> tasks(@PathParam("agent_id") String id) {
        return agents.detail(id, null).chain(agent -> pipelines.running(pool, agent.id()))
                .map(rows -> rows.stream().map(p -> new TaskView(String.valueOf(p.id()), p.labels(), List.of(), Map.of(),
                        List.of("success", "failure"), p.agentId() == null ? 0 : p.agentId(), p.repoId(), p.number())).toList());
    }

    @PATCH
    @Path("/agents/{agent_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AgentView> update(@PathParam("agent_id") String id, AgentBody body) {
        AgentBody b = require(body);
        return agents.update(id, null, blankToNull(b.name()), b.noSchedule()).map(AgentView::of);
    }

    @DELETE
    @Path("/agents/{agent_id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("agent_id") String id) {
        return agents.delete(id, null);
    }

    // --- organization agents ----------------------------------------------------------------------

    @GET
    @Path("/orgs/{org_id}/agents")
    public Uni<List<AgentView>> listOrg(@PathParam("org_id") String orgId, @QueryParam("page") String page,
                                        @QueryParam("perPage") String perPage, @QueryParam("per_page") String pp) {
        long org = support.org(orgId).id();
        return agents.details(org, WoodpeckerSupport.page(page, perPage, pp)).map(l -> l.stream().map(AgentView::of).toList());
    }

    @POST
    @Path("/orgs/{org_id}/agents")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AgentView> createOrg(@PathParam("org_id") String orgId, AgentBody body) {
        long org = support.org(orgId).id();
        AgentBody b = require(body);
        return agents.register(support.caller(), b.name(), b.customLabels(), b.platform(), org,
                Boolean.TRUE.equals(b.noSchedule())).map(AgentView::of);
    }

    @PATCH
    @Path("/orgs/{org_id}/agents/{agent_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AgentView> updateOrg(@PathParam("org_id") String orgId, @PathParam("agent_id") String id, AgentBody body) {
        long org = support.org(orgId).id();
        AgentBody b = require(body);
        return agents.update(id, org, blankToNull(b.name()), b.noSchedule()).map(AgentView::of);
    }

    @DELETE
    @Path("/orgs/{org_id}/agents/{agent_id}")
    @ResponseStatus(204)
    public Uni<Void> deleteOrg(@PathParam("org_id") String orgId, @PathParam("agent_id") String id) {
        long org = support.org(orgId).id();
        return agents.delete(id, org);
    }

    // --- queue ------------------------------------------------------------------------------------

    @GET
    @Path("/queue/info")
    public Uni<QueueInfoView> info() {
        return queue.info().map(info -> new QueueInfoView(tasks(info.pending()), tasks(info.blocked()), tasks(info.running()),
                new Stats(info.workerCount(), info.pending().size(), info.blocked().size(), info.running().size()),
                info.paused(), info.labels(), info.agents()));
    }

    @POST
    @Path("/queue/pause")
    @ResponseStatus(204)
    public Uni<Void> pause() {
        return queue.pause(support.caller().login());
    }

    @POST
    @Path("/queue/resume")
    @ResponseStatus(204)
    public Uni<Void> resume() {
        return queue.resume(support.caller().login());
    }

    /** Answers (204) once no pipeline runs; {@code ?wait=} seconds (default 60, at most 300), then 503. */
    @GET
    @Path("/queue/norunningpipelines")
    @ResponseStatus(204)
    public Uni<Void> noRunningPipelines(@QueryParam("wait") String wait) {
        return queue.awaitNoRunning(wait);
    }

    private static List<TaskView> tasks(List<QueueInfo.Task> tasks) {
        return tasks.stream().map(t -> new TaskView(String.valueOf(t.pipelineId()), new LinkedHashMap<>(t.labels()), List.of(),
                Map.of(), List.of("success", "failure"), t.agentId() == null ? 0 : t.agentId(), t.repoId(), t.number())).toList();
    }

    private static AgentBody require(AgentBody body) {
        if (body == null) {
            throw new ValidationException("send a JSON object with the agent's 'name' (and optionally 'no_schedule')");
        }
        return body;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
