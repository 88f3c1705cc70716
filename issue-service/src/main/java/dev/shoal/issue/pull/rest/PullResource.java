package dev.shoal.issue.pull.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.issue.client.RepoGateway;
import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.pull.NewLineComment;
import dev.shoal.issue.pull.PullRequest;
import dev.shoal.issue.pull.Review;
import dev.shoal.issue.pull.service.PullService;
import dev.shoal.issue.support.Numbers;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/repos/{org}/{repo}")
@Produces(MediaType.APPLICATION_JSON)
public class PullResource {

    public record CreatePullRequest(@Size(max = 255, message = "must be 1-255 characters") String title,
                                    @Size(max = 65536, message = "must be at most 65536 characters") String body,
                                    @JsonProperty("source_bookmark") @Size(max = 255, message = "must be at most 255 characters") String sourceBookmark,
                                    @JsonProperty("target_branch") @Size(max = 255, message = "must be at most 255 characters") String targetBranch) {
    }

    public record UpdatePullRequest(@Size(max = 255, message = "must be 1-255 characters") String title,
                                    @Size(max = 65536, message = "must be at most 65536 characters") String body,
                                    String state) {
    }

    public record CommentRequest(@Size(max = 65536, message = "must be at most 65536 characters") String body) {
    }

    public record MergeRequest(String method) {
    }

    public record LineCommentRequest(@Size(max = 4096, message = "must be at most 4096 characters") String path,
                                     Integer line,
                                     @Size(max = 65536, message = "must be at most 65536 characters") String body) {
    }

    public record ReviewRequest(String state,
                                @Size(max = 65536, message = "must be at most 65536 characters") String body,
                                @Size(max = 200, message = "may hold at most 200 line comments") List<@Valid LineCommentRequest> comments) {
    }

    public record PullSettings(@JsonProperty("required_approvals") @NotNull(message = "is required")
                               @Min(value = 0, message = "must be from 0 to 20") @Max(value = 20, message = "must be from 0 to 20")
                               Integer requiredApprovals) {
    }

    private final PullService pulls;
    private final CurrentCaller caller;

    public PullResource(PullService pulls, CurrentCaller caller) {
        this.pulls = pulls;
        this.caller = caller;
    }

    @GET
    @Path("/pulls")
    public Uni<PageResponse<PullRequest>> list(@PathParam("org") String org, @PathParam("repo") String repo,
                                               @QueryParam("status") String status, @QueryParam("page") String page,
                                               @QueryParam("per_page") String perPage) {
        return pulls.list(caller.get(), org, repo, status, PageRequest.of(page, perPage));
    }

    @GET
    @Path("/pulls/{number}")
    public Uni<DataResponse<PullRequest>> get(@PathParam("org") String org, @PathParam("repo") String repo,
                                              @PathParam("number") String number) {
        return pulls.get(caller.get(), org, repo, number(number)).map(DataResponse::of);
    }

    @POST
    @Path("/pulls")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DataResponse<PullRequest>>> create(@PathParam("org") String org, @PathParam("repo") String repo,
                                                               @Valid CreatePullRequest request) {
        required(request);
        return pulls.create(caller.get(), org, repo, request.title(), request.body(), request.sourceBookmark(),
                        request.targetBranch())
                .map(pull -> RestResponse.status(Response.Status.CREATED, DataResponse.of(pull)));
    }

    @PATCH
    @Path("/pulls/{number}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<PullRequest>> update(@PathParam("org") String org, @PathParam("repo") String repo,
                                                 @PathParam("number") String number, @Valid UpdatePullRequest request) {
        required(request);
        return pulls.update(caller.get(), org, repo, number(number),
                new PullService.PullChange(request.title(), request.body(), request.state())).map(DataResponse::of);
    }

    @POST
    @Path("/pulls/{number}/comments")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DataResponse<Issue.Comment>>> comment(@PathParam("org") String org, @PathParam("repo") String repo,
                                                                  @PathParam("number") String number,
                                                                  @Valid CommentRequest request) {
        required(request);
        return pulls.comment(caller.get(), org, repo, number(number), request.body())
                .map(c -> RestResponse.status(Response.Status.CREATED, DataResponse.of(c)));
    }

    /** The body is optional: no body (or {}) merges with the default method. */
    @POST
    @Path("/pulls/{number}/merge")
    public Uni<DataResponse<PullRequest>> merge(@PathParam("org") String org, @PathParam("repo") String repo,
                                                @PathParam("number") String number, MergeRequest request) {
        return pulls.merge(caller.get(), org, repo, number(number), request == null ? null : request.method())
                .map(DataResponse::of);
    }

    @GET
    @Path("/pulls/{number}/diff")
    public Uni<DataResponse<PullService.Diff>> diff(@PathParam("org") String org, @PathParam("repo") String repo,
                                                    @PathParam("number") String number) {
        return pulls.diff(caller.get(), org, repo, number(number)).map(DataResponse::of);
    }

    @GET
    @Path("/pulls/{number}/files")
    public Uni<DataResponse<List<RepoGateway.FileChange>>> files(@PathParam("org") String org, @PathParam("repo") String repo,
                                                                 @PathParam("number") String number) {
        return pulls.files(caller.get(), org, repo, number(number)).map(DataResponse::of);
    }

    @GET
    @Path("/pulls/{number}/reviews")
    public Uni<DataResponse<List<Review>>> reviews(@PathParam("org") String org, @PathParam("repo") String repo,
                                                   @PathParam("number") String number) {
        return pulls.reviews(caller.get(), org, repo, number(number)).map(DataResponse::of);
    }

    @POST
    @Path("/pulls/{number}/reviews")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DataResponse<Review>>> review(@PathParam("org") String org, @PathParam("repo") String repo,
                                                          @PathParam("number") String number, @Valid ReviewRequest request) {
        required(request);
        List<NewLineComment> comments = request.comments() == null ? List.of()
                : request.comments().stream().map(PullResource::lineComment).toList();
        return pulls.review(caller.get(), org, repo, number(number),
                        new PullService.ReviewInput(request.state(), request.body(), comments))
                .map(r -> RestResponse.status(Response.Status.CREATED, DataResponse.of(r)));
    }

    @GET
    @Path("/pull-settings")
    public Uni<DataResponse<Map<String, Integer>>> settings(@PathParam("org") String org, @PathParam("repo") String repo) {
        return pulls.requiredApprovals(caller.get(), org, repo).map(n -> DataResponse.of(Map.of("required_approvals", n)));
    }

    @PUT
    @Path("/pull-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Map<String, Integer>>> updateSettings(@PathParam("org") String org, @PathParam("repo") String repo,
                                                                  @Valid PullSettings request) {
        required(request);
        return pulls.setRequiredApprovals(caller.get(), org, repo, request.requiredApprovals())
                .map(n -> DataResponse.of(Map.of("required_approvals", n)));
    }

    /** Paths are repository-relative: no absolute paths, no "..", no NUL, so an anchor cannot point outside the tree. */
    private static NewLineComment lineComment(LineCommentRequest c) {
        if (c == null || c.path() == null || c.line() == null || c.body() == null || c.body().isBlank()) {
            throw new ValidationException("each line comment needs path, line and body");
        }
        String path = c.path();
        if (path.isEmpty() || path.startsWith("/") || path.contains("\0") || path.contains("\\")
                || List.of(path.split("/")).stream().anyMatch(s -> s.equals("..") || s.equals(".") || s.isEmpty())) {
            throw new ValidationException("comments.path must be a relative path inside the repository, without '..', "
                    + "'.', empty segments, backslashes or NUL, got '" + (path.length() > 60 ? path.substring(0, 60) + "…" : path) + "'");
        }
        if (c.line() < 1) {
            throw new ValidationException("comments.line must be 1 or more");
        }
        return new NewLineComment(path, c.line(), c.body());
    }

    private static long number(String raw) {
        return Numbers.parse("pull request number", raw);
    }

    private static void required(Object request) {
        if (request == null) {
            throw new ValidationException("a JSON body is required");
        }
    }
}
