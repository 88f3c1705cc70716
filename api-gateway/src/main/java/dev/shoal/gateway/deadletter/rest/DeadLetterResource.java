package dev.shoal.gateway.deadletter.rest;

import dev.shoal.gateway.deadletter.DeadLetterView;
import dev.shoal.gateway.deadletter.service.DeadLetters;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Events a consumer gave up on (site admins only, by the route table): list them, and replay one
 * once its handler is fixed. A replay is idempotent: consumers apply an event id once.
 */
@Path("/api/v1/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final DeadLetters deadLetters;

    public DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Newest first; {@code service} keeps those of one service (e.g. {@code pipeline-service}). */
    @GET
    public Uni<PageResponse<DeadLetterView>> list(@QueryParam("page") String page, @QueryParam("per_page") String perPage,
                                                  @QueryParam("service") String service) {
        return deadLetters.list(PageRequest.of(page, perPage), service);
    }

    /** 202: the original record is back on its topic; its consumers apply it when they reach it. */
    @POST
    @Path("/{id}/replay")
    @ResponseStatus(202)
    public Uni<DataResponse<DeadLetterView>> replay(@PathParam("id") String id) {
        return deadLetters.replay(id).map(DataResponse::of);
    }
}
