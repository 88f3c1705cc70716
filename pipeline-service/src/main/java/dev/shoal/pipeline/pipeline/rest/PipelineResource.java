package dev.shoal.pipeline.pipeline.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.pipeline.Pipeline;
import dev.shoal.pipeline.pipeline.PipelineList;
import dev.shoal.pipeline.pipeline.service.PipelineService;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

/** The Isurus pipeline endpoints. Their answers are the pipeline objects themselves, as the seed shows. */
@Path("/api/v1/repos/{org}/{repo}/pipelines")
@Produces(MediaType.APPLICATION_JSON)
public class PipelineResource {

    /** Body of a manual trigger; without a branch the default branch runs. */
    public record TriggerPipelineRequest(
            @JsonProperty("branch") @Size(min = 1, max = 255, message = "must be 1-255 characters") String branch) {
    }

    private final PipelineService service;
    private final CurrentCaller caller;

    public PipelineResource(PipelineService service, CurrentCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    public Uni<PipelineList> list(@PathParam("org") String org, @PathParam("repo") String repo,
                                  @QueryParam("status") String status, @QueryParam("page") String page,
                                  @QueryParam("per_page") String perPage) {
        return service.list(caller.get(), org, repo, status, page, perPage);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<Pipeline> trigger(@PathParam("org") String org, @PathParam("repo") String repo,
                                 @jakarta.validation.Valid TriggerPipelineRequest body) {
        return service.trigger(caller.get(), org, repo, body == null ? null : body.branch());
    }

    @GET
    @Path("/{number}")
    public Uni<Pipeline> get(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number) {
        return service.get(caller.get(), org, repo, number);
    }

    @POST
    @Path("/{number}/cancel")
    public Uni<Pipeline> cancel(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number) {
        return service.cancel(caller.get(), org, repo, number);
    }

    @POST
    @Path("/{number}/rerun")
    @ResponseStatus(201)
    public Uni<Pipeline> rerun(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("number") String number) {
        return service.rerun(caller.get(), org, repo, number);
    }
}
