package dev.shoal.repo.repo.rest;

import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.repo.CreateRepoRequest;
import dev.shoal.repo.repo.RepoView;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/orgs/{org}/repos")
@Produces(MediaType.APPLICATION_JSON)
public class OrgRepoResource {

    private final RepoService repos;
    private final CurrentCaller caller;

    public OrgRepoResource(RepoService repos, CurrentCaller caller) {
        this.repos = repos;
        this.caller = caller;
    }

    @GET
    public Uni<PageResponse<RepoView>> list(@PathParam("org") String org, @QueryParam("page") String page,
                                            @QueryParam("per_page") String perPage) {
        return repos.list(caller.get(), org, PageRequest.of(page, perPage));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<DataResponse<RepoView>>> create(@PathParam("org") String org,
                                                           @Valid @NotNull(message = "a JSON body is required") CreateRepoRequest request) {
        return repos.create(caller.get(), org, request)
                .map(repo -> RestResponse.status(Response.Status.CREATED, DataResponse.of(repos.view(repo))));
    }
}
