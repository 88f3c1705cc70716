package dev.shoal.repo.repo.rest;

import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.repo.CreateRepoRequest;
import dev.shoal.repo.repo.RepoView;
import dev.shoal.repo.repo.UpdateRepoRequest;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RepoResource {

    private final RepoService repos;
    private final CurrentCaller caller;

    public RepoResource(RepoService repos, CurrentCaller caller) {
        this.repos = repos;
        this.caller = caller;
    }

    @GET
    @Path("/orgs/{org}/repos")
    public Uni<PageResponse<RepoView>> list(@PathParam("org") String org, @QueryParam("page") String page,
                                            @QueryParam("per_page") String perPage) {
        return repos.list(caller.get(), org, PageRequest.of(page, perPage));
    }

    @POST
    @Path("/orgs/{org}/repos")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DataResponse<RepoView>>> create(@PathParam("org") String org,
                                                           @Valid @NotNull(message = "a JSON body is required") CreateRepoRequest request) {
        return repos.create(caller.get(), org, request)
                .map(repo -> RestResponse.status(Response.Status.CREATED, DataResponse.of(RepoView.of(repo, repos.publicUrl()))));
    }

    @GET
    @Path("/repos/{org}/{repo}")
    public Uni<DataResponse<RepoView>> get(@PathParam("org") String org, @PathParam("repo") String name) {
        return repos.visible(caller.get(), org, name).map(repo -> DataResponse.of(RepoView.of(repo, repos.publicUrl())));
    }

    @PATCH
    @Path("/repos/{org}/{repo}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<RepoView>> update(@PathParam("org") String org, @PathParam("repo") String name,
                                              @Valid @NotNull(message = "a JSON body is required") UpdateRepoRequest request) {
        return repos.update(caller.get(), org, name, request).map(repo -> DataResponse.of(RepoView.of(repo, repos.publicUrl())));
    }

    @DELETE
    @Path("/repos/{org}/{repo}")
    public Uni<RestResponse<Void>> delete(@PathParam("org") String org, @PathParam("repo") String name) {
        return repos.delete(caller.get(), org, name).map(v -> RestResponse.noContent());
    }
}
