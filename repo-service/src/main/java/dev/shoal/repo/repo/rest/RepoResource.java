package dev.shoal.repo.repo.rest;

import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.content.BranchView;
import dev.shoal.repo.content.Changeset;
import dev.shoal.repo.content.GitPaths;
import dev.shoal.repo.content.TagView;
import dev.shoal.repo.content.TreeEntry;
import dev.shoal.repo.content.rest.RawBlobs;
import dev.shoal.repo.content.service.ContentService;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.RepoView;
import dev.shoal.repo.repo.UpdateRepoRequest;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * One repository and its contents. The contents endpoints live here too because JAX-RS picks one
 * root class per request path prefix; JGit blocks, so those methods run on a worker thread.
 */
@Path("/api/v1/repos/{org}/{repo}")
@Produces(MediaType.APPLICATION_JSON)
public class RepoResource {

    private final RepoService repos;
    private final ContentService content;
    private final CurrentCaller caller;

    public RepoResource(RepoService repos, ContentService content, CurrentCaller caller) {
        this.repos = repos;
        this.content = content;
        this.caller = caller;
    }

    @GET
    public Uni<DataResponse<RepoView>> get(@PathParam("org") String org, @PathParam("repo") String name) {
        return repos.visible(caller.get(), org, name).map(repo -> DataResponse.of(repos.view(repo)));
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<RepoView>> update(@PathParam("org") String org, @PathParam("repo") String name,
                                              @Valid @NotNull(message = "a JSON body is required") UpdateRepoRequest request) {
        return repos.update(caller.get(), org, name, request).map(repo -> DataResponse.of(repos.view(repo)));
    }

    @DELETE
    public Uni<RestResponse<Void>> delete(@PathParam("org") String org, @PathParam("repo") String name) {
        return repos.delete(caller.get(), org, name).map(v -> RestResponse.noContent());
    }

    @GET
    @Path("/tree")
    @Blocking
    public DataResponse<List<TreeEntry>> root(@PathParam("org") String org, @PathParam("repo") String name,
                                              @QueryParam("rev") String rev) {
        return tree(org, name, "", rev);
    }

    @GET
    @Path("/tree/{path: .*}")
    @Blocking
    public DataResponse<List<TreeEntry>> tree(@PathParam("org") String org, @PathParam("repo") String name,
                                              @PathParam("path") String path, @QueryParam("rev") String rev) {
        String checked = GitPaths.normalize(path);
        return DataResponse.of(content.tree(visible(org, name), rev, checked));
    }

    @GET
    @Path("/blob/{path: .*}")
    @Blocking
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    public Response blob(@PathParam("org") String org, @PathParam("repo") String name, @PathParam("path") String path,
                         @QueryParam("rev") String rev, @QueryParam("raw") String raw) {
        String checked = GitPaths.requireFile(path);
        Repo repo = visible(org, name);
        if ("1".equals(raw) || "true".equals(raw)) {
            return RawBlobs.stream(content.open(repo, rev, checked), checked);
        }
        return Response.ok(DataResponse.of(content.blob(repo, rev, checked)), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/log")
    @Blocking
    public PageResponse<Changeset> log(@PathParam("org") String org, @PathParam("repo") String name,
                                       @QueryParam("rev") String rev, @QueryParam("page") String page,
                                       @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage);
        return content.log(visible(org, name), rev, request);
    }

    @GET
    @Path("/changeset/{rev}")
    @Blocking
    public DataResponse<Changeset> changeset(@PathParam("org") String org, @PathParam("repo") String name,
                                             @PathParam("rev") String rev) {
        return DataResponse.of(content.changeset(visible(org, name), rev));
    }

    @GET
    @Path("/branches")
    @Blocking
    public PageResponse<BranchView> branches(@PathParam("org") String org, @PathParam("repo") String name,
                                             @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage);
        return content.branches(visible(org, name), request);
    }

    @GET
    @Path("/tags")
    @Blocking
    public PageResponse<TagView> tags(@PathParam("org") String org, @PathParam("repo") String name,
                                      @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage);
        return content.tags(visible(org, name), request);
    }

    private Repo visible(String org, String name) {
        return repos.visibleNow(caller.get(), org, name);
    }
}
