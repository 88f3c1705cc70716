package dev.shoal.issue.issue.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.issue.service.IssueService;
import dev.shoal.issue.support.Numbers;
import dev.shoal.issue.support.RawJson;
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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/repos/{org}/{repo}/issues")
@Produces(MediaType.APPLICATION_JSON)
public class IssueResource {

    static final int MAX_BODY = 65_536;

    public record CreateIssueRequest(@Size(max = 255, message = "must be 1-255 characters") String title,
                                     @Size(max = MAX_BODY, message = "must be at most 65536 characters") String body) {
    }

    public record UpdateIssueRequest(@Size(max = 255, message = "must be 1-255 characters") String title,
                                     @Size(max = MAX_BODY, message = "must be at most 65536 characters") String body,
                                     String state, @JsonProperty("milestone_id") Long milestoneId) {
    }

    public record CommentRequest(@Size(max = MAX_BODY, message = "must be at most 65536 characters") String body) {
    }

    public record LabelsRequest(@JsonProperty("label_ids") @Size(max = 100, message = "may hold at most 100 ids") List<Long> labelIds,
                                @Size(max = 100, message = "may hold at most 100 names") List<String> labels) {
    }

    public record AssigneesRequest(List<String> assignees) {
    }

    private final IssueService issues;
    private final CurrentCaller caller;

    public IssueResource(IssueService issues, CurrentCaller caller) {
        this.issues = issues;
        this.caller = caller;
    }

    /** With a weak {@code ETag}; a client that sends it back in {@code If-None-Match} gets 304 while the list stands. */
    @GET
    public Uni<RestResponse<PageResponse<RawJson>>> list(@PathParam("org") String org, @PathParam("repo") String repo,
                                                         @QueryParam("state") String state, @QueryParam("page") String page,
                                                         @QueryParam("per_page") String perPage,
                                                         @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return issues.list(caller.get(), org, repo, state, PageRequest.of(page, perPage), ifNoneMatch).map(listing -> {
            RestResponse.ResponseBuilder<PageResponse<RawJson>> answer = listing.notModified()
                    ? RestResponse.ResponseBuilder.create(RestResponse.Status.NOT_MODIFIED)
                    : RestResponse.ResponseBuilder.ok(listing.page());
            return listing.etag() == null ? answer.build() : answer.header(HttpHeaders.ETAG, listing.etag()).build();
        });
    }

    @GET
    @Path("/{number}")
    public Uni<DataResponse<Issue>> get(@PathParam("org") String org, @PathParam("repo") String repo,
                                        @PathParam("number") String number) {
        return issues.get(caller.get(), org, repo, number(number)).map(DataResponse::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DataResponse<Issue>>> create(@PathParam("org") String org, @PathParam("repo") String repo,
                                                         @Valid CreateIssueRequest request) {
        required(request);
        return issues.create(caller.get(), org, repo, request.title(), request.body())
                .map(issue -> RestResponse.status(Response.Status.CREATED, DataResponse.of(issue)));
    }

    @PATCH
    @Path("/{number}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Issue>> update(@PathParam("org") String org, @PathParam("repo") String repo,
                                           @PathParam("number") String number, @Valid UpdateIssueRequest request) {
        required(request);
        return issues.update(caller.get(), org, repo, number(number),
                new IssueService.IssueChange(request.title(), request.body(), request.state(), request.milestoneId()))
                .map(DataResponse::of);
    }

    @POST
    @Path("/{number}/comments")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DataResponse<Issue.Comment>>> comment(@PathParam("org") String org, @PathParam("repo") String repo,
                                                                  @PathParam("number") String number,
                                                                  @Valid CommentRequest request) {
        required(request);
        return issues.comment(caller.get(), org, repo, number(number), request.body())
                .map(c -> RestResponse.status(Response.Status.CREATED, DataResponse.of(c)));
    }

    @POST
    @Path("/{number}/labels")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Issue>> addLabels(@PathParam("org") String org, @PathParam("repo") String repo,
                                              @PathParam("number") String number, @Valid LabelsRequest request) {
        required(request);
        return issues.addLabels(caller.get(), org, repo, number(number), request.labelIds(), request.labels())
                .map(DataResponse::of);
    }

    @DELETE
    @Path("/{number}/labels/{label_id}")
    public Uni<DataResponse<Issue>> removeLabel(@PathParam("org") String org, @PathParam("repo") String repo,
                                                @PathParam("number") String number, @PathParam("label_id") String labelId) {
        return issues.removeLabel(caller.get(), org, repo, number(number), Numbers.parse("label_id", labelId))
                .map(DataResponse::of);
    }

    @PUT
    @Path("/{number}/assignees")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Issue>> assignees(@PathParam("org") String org, @PathParam("repo") String repo,
                                              @PathParam("number") String number, AssigneesRequest request) {
        required(request);
        return issues.setAssignees(caller.get(), org, repo, number(number), request.assignees()).map(DataResponse::of);
    }

    @PUT
    @Path("/{number}/pin")
    public Uni<DataResponse<Issue>> pin(@PathParam("org") String org, @PathParam("repo") String repo,
                                        @PathParam("number") String number) {
        return issues.pin(caller.get(), org, repo, number(number), true).map(DataResponse::of);
    }

    @DELETE
    @Path("/{number}/pin")
    public Uni<DataResponse<Issue>> unpin(@PathParam("org") String org, @PathParam("repo") String repo,
                                          @PathParam("number") String number) {
        return issues.pin(caller.get(), org, repo, number(number), false).map(DataResponse::of);
    }

    private static long number(String raw) {
        return Numbers.parse("issue number", raw);
    }

    private static void required(Object request) {
        if (request == null) {
            throw new ValidationException("a JSON body is required");
        }
    }
}
