package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.agent.service.AgentService;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.AgentView;
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
import org.jboss.resteasy.reactive.ResponseStatus;

/** Woodpecker's agents of one organization (its owners): they take only its pipelines. */
@Path("/api/orgs/{org_id}/agents")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerOrgAgentResource {

    private final WoodpeckerSupport support;
    private final AgentService agents;

    public WoodpeckerOrgAgentResource(WoodpeckerSupport support, AgentService agents) {
        this.support = support;
        this.agents = agents;
    }

    @GET
    public Uni<List<AgentView>> listOrg(@PathParam("org_id") String orgId, @QueryParam("page") String page,
                                        @QueryParam("perPage") String perPage, @QueryParam("per_page") String pp) {
        long org = support.org(orgId).id();
        return agents.details(org, WoodpeckerSupport.page(page, perPage, pp)).map(l -> l.stream().map(AgentView::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AgentView> createOrg(@PathParam("org_id") String orgId, WoodpeckerAgentResource.AgentBody body) {
        long org = support.org(orgId).id();
        WoodpeckerAgentResource.AgentBody b = require(body);
        return agents.register(support.caller(), b.name(), b.customLabels(), b.platform(), org,
                Boolean.TRUE.equals(b.noSchedule())).map(AgentView::of);
    }

    @PATCH
    @Path("/{agent_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AgentView> updateOrg(@PathParam("org_id") String orgId, @PathParam("agent_id") String id, WoodpeckerAgentResource.AgentBody body) {
        long org = support.org(orgId).id();
        WoodpeckerAgentResource.AgentBody b = require(body);
        return agents.update(id, org, blankToNull(b.name()), b.noSchedule()).map(AgentView::of);
    }

    @DELETE
    @Path("/{agent_id}")
    @ResponseStatus(204)
    public Uni<Void> deleteOrg(@PathParam("org_id") String orgId, @PathParam("agent_id") String id) {
        long org = support.org(orgId).id();
        return agents.delete(id, org);
    }

    private static WoodpeckerAgentResource.AgentBody require(WoodpeckerAgentResource.AgentBody body) {
        if (body == null) {
            throw new ValidationException("send a JSON object with the agent's 'name' (and optionally 'no_schedule')");
        }
        return body;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
