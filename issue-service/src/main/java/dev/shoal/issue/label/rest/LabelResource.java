package dev.shoal.issue.label.rest;

import dev.shoal.issue.label.Label;
import dev.shoal.issue.label.service.LabelService;
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
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/repos/{org}/{repo}/labels")
@Produces(MediaType.APPLICATION_JSON)
public class LabelResource {

    public record LabelRequest(@Size(max = 50, message = "must be 1-50 characters") String name,
                               String color,
                               @Size(max = 500, message = "must be at most 500 characters") String description) {
    }

    private final LabelService labels;
    private final CurrentCaller caller;

    public LabelResource(LabelService labels, CurrentCaller caller) {
        this.labels = labels;
        this.caller = caller;
    }

    @GET
    public Uni<PageResponse<Label>> list(@PathParam("org") String org, @PathParam("repo") String repo,
                                         @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        return labels.list(caller.get(), org, repo, PageRequest.of(page, perPage));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DataResponse<Label>>> create(@PathParam("org") String org, @PathParam("repo") String repo,
                                                         @Valid LabelRequest request) {
        required(request);
        return labels.create(caller.get(), org, repo, input(request))
                .map(label -> RestResponse.status(Response.Status.CREATED, DataResponse.of(label)));
    }

    @PATCH
    @Path("/{label_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Label>> update(@PathParam("org") String org, @PathParam("repo") String repo,
                                           @PathParam("label_id") String id, @Valid LabelRequest request) {
        required(request);
        return labels.update(caller.get(), org, repo, Numbers.parse("label_id", id), input(request)).map(DataResponse::of);
    }

    @DELETE
    @Path("/{label_id}")
    public Uni<RestResponse<Void>> delete(@PathParam("org") String org, @PathParam("repo") String repo,
                                          @PathParam("label_id") String id) {
        return labels.delete(caller.get(), org, repo, Numbers.parse("label_id", id)).map(v -> RestResponse.noContent());
    }

    private static void required(Object request) {
        if (request == null) {
            throw new ValidationException("a JSON body is required");
        }
    }

    private static LabelService.LabelInput input(LabelRequest request) {
        return new LabelService.LabelInput(request.name(), request.color(), request.description());
    }
}
