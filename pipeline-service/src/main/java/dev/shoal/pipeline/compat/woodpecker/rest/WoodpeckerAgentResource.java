package dev.shoal.pipeline.compat.woodpecker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.agent.service.AgentService;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.AgentView;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.TaskView;
import dev.shoal.pipeline.compat.woodpecker.service.WoodpeckerService;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
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
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Woodpecker's agents of the whole server (site admins); the token is shown once, at creation. */
@Path("/api/agents")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerAgentResource {

    /** Woodpecker reads only 'name' and 'no_schedule' of a new agent; Shoal also takes labels and platform. */
    public record AgentBody(String name, @JsonProperty("no_schedule") Boolean noSchedule,
                            @JsonProperty("custom_labels") Map<String, String> customLabels, String platform) {
    }

    private final WoodpeckerSupport support;
    private final AgentService agents;
    private final WoodpeckerService woodpecker;

    public WoodpeckerAgentResource(WoodpeckerSupport support, AgentService agents, WoodpeckerService woodpecker) {
        this.support = support;
        this.agents = agents;
        this.woodpecker = woodpecker;
    }

    @GET
    public Uni<List<AgentView>> list(@QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                     @QueryParam("per_page") String pp) {
        return agents.details(null, WoodpeckerSupport.page(page, perPage, pp)).map(l -> l.stream().map(AgentView::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AgentView> create(AgentBody body) {
        AgentBody b = require(body);
        return agents.register(support.caller(), b.name(), b.customLabels(), b.platform(), null,
                Boolean.TRUE.equals(b.noSchedule())).map(AgentView::of);
    }

    @GET
    @Path("/{agent_id}")
    public Uni<AgentView> get(@PathParam("agent_id") String id) {
        return agents.detail(id, null).map(AgentView::of);
    }

    /** What the agent runs now: its running pipelines as queue tasks. */
    @GET
    @Path("/{agent_id}/tasks")
    public Uni<List<TaskView>> tasks(@PathParam("agent_id") String id) {
        return woodpecker.runningOn(id)
                .map(rows -> rows.stream().map(p -> new TaskView(String.valueOf(p.id()), p.labels(), List.of(), Map.of(),
                        List.of("success", "failure"), p.agentId() == null ? 0 : p.agentId(), p.repoId(), p.number())).toList());
    }

    @PATCH
    @Path("/{agent_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AgentView> update(@PathParam("agent_id") String id, AgentBody body) {
        AgentBody b = require(body);
        return agents.update(id, null, blankToNull(b.name()), b.noSchedule()).map(AgentView::of);
    }

    @DELETE
    @Path("/{agent_id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("agent_id") String id) {
        return agents.delete(id, null);
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
