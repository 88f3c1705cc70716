package dev.shoal.pipeline.agent.rest;

import dev.shoal.pipeline.agent.Agent;
import dev.shoal.pipeline.agent.service.AgentService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Agent registration for site admins (the gateway lets only them through). */
@Path("/api/v1/admin/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentAdminResource {

    public record RegisterAgentRequest(String name, Map<String, String> labels, String platform) {
    }

    private final AgentService agents;
    private final CurrentCaller caller;

    public AgentAdminResource(AgentService agents, CurrentCaller caller) {
        this.agents = agents;
        this.caller = caller;
    }

    @GET
    public Uni<PageResponse<Agent>> list(@QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage);
        return agents.count().chain(total -> agents.list(request).map(list -> PageResponse.of(list, request, total)));
    }

    /** The answer holds the token: the only time it is shown. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<Agent>> register(RegisterAgentRequest body) {
        if (body == null) {
            throw new ValidationException("send a JSON object body with 'name'");
        }
        return agents.register(caller.get(), body.name(), body.labels(), body.platform()).map(DataResponse::of);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") String id) {
        return agents.delete(id);
    }
}
