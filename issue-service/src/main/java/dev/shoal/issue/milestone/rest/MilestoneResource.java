package dev.shoal.issue.milestone.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.issue.milestone.Milestone;
import dev.shoal.issue.milestone.service.MilestoneService;
import dev.shoal.issue.support.Numbers;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
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
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/repos/{org}/{repo}/milestones")
@Produces(MediaType.APPLICATION_JSON)
public class MilestoneResource {

    public record MilestoneRequest(@Size(max = 255, message = "must be 1-255 characters") String title,
                                   @Size(max = 65536, message = "must be at most 65536 characters") String description,
                                   @JsonProperty("due_on") Instant dueOn, String state) {
    }

    private final MilestoneService milestones;
    private final CurrentCaller caller;

    public MilestoneResource(MilestoneService milestones, CurrentCaller caller) {
        this.milestones = milestones;
        this.caller = caller;
    }

    @GET
    public Uni<PageResponse<Milestone>> list(@PathParam("org") String org, @PathParam("repo") String repo,
                                             @QueryParam("state") String state, @QueryParam("page") String page,
                                             @QueryParam("per_page") String perPage) {
        return milestones.list(caller.get(), org, repo, state, PageRequest.of(page, perPage));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DataResponse<Milestone>>> create(@PathParam("org") String org, @PathParam("repo") String repo,
                                                             @Valid MilestoneRequest request) {
        return milestones.create(caller.get(), org, repo, input(request))
                .map(m -> RestResponse.status(Response.Status.CREATED, DataResponse.of(m)));
    }

    @PATCH
    @Path("/{milestone_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Milestone>> update(@PathParam("org") String org, @PathParam("repo") String repo,
                                               @PathParam("milestone_id") String id, @Valid MilestoneRequest request) {
        return milestones.update(caller.get(), org, repo, Numbers.parse("milestone_id", id), input(request))
                .map(DataResponse::of);
    }

    @DELETE
    @Path("/{milestone_id}")
    public Uni<RestResponse<Void>> delete(@PathParam("org") String org, @PathParam("repo") String repo,
                                          @PathParam("milestone_id") String id) {
        return milestones.delete(caller.get(), org, repo, Numbers.parse("milestone_id", id)).map(v -> RestResponse.noContent());
    }

    private static MilestoneService.MilestoneInput input(MilestoneRequest request) {
        if (request == null) {
            throw new ValidationException("a JSON body is required");
        }
        return new MilestoneService.MilestoneInput(request.title(), request.description(), request.dueOn(), request.state());
    }
}
