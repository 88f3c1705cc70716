package dev.shoal.repo.content.rest;

import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.content.BranchView;
import dev.shoal.repo.content.Changeset;
import dev.shoal.repo.content.GitPaths;
import dev.shoal.repo.content.TagView;
import dev.shoal.repo.content.TreeEntry;
import dev.shoal.repo.content.service.ContentService;
import dev.shoal.repo.repo.Repo;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Isurus repository contents. JGit blocks, so every method runs on a worker thread. */
@Path("/api/v1/repos/{org}/{repo}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ContentResource {

    private final RepoService repos;
    private final ContentService content;
    private final CurrentCaller caller;

    public ContentResource(RepoService repos, ContentService content, CurrentCaller caller) {
        this.repos = repos;
        this.content = content;
        this.caller = caller;
    }

    @GET
    @Path("/tree")
    public DataResponse<List<TreeEntry>> root(@PathParam("org") String org, @PathParam("repo") String name,
                                              @QueryParam("rev") String rev) {
        return tree(org, name, "", rev);
    }

    @GET
    @Path("/tree/{path: .*}")
    public DataResponse<List<TreeEntry>> tree(@PathParam("org") String org, @PathParam("repo") String name,
                                              @PathParam("path") String path, @QueryParam("rev") String rev) {
        String checked = GitPaths.normalize(path);
        return DataResponse.of(content.tree(repo(org, name), rev, checked));
    }

    @GET
    @Path("/blob/{path: .*}")
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    public Response blob(@PathParam("org") String org, @PathParam("repo") String name, @PathParam("path") String path,
                         @QueryParam("rev") String rev, @QueryParam("raw") String raw) {
        String checked = GitPaths.requireFile(path);
        Repo repo = repo(org, name);
        if ("1".equals(raw) || "true".equals(raw)) {
            return RawBlobs.stream(content.open(repo, rev, checked), checked);
        }
        return Response.ok(DataResponse.of(content.blob(repo, rev, checked)), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/log")
    public PageResponse<Changeset> log(@PathParam("org") String org, @PathParam("repo") String name,
                                       @QueryParam("rev") String rev, @QueryParam("page") String page,
                                       @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage);
        return content.log(repo(org, name), rev, request);
    }

    @GET
    @Path("/changeset/{rev}")
    public DataResponse<Changeset> changeset(@PathParam("org") String org, @PathParam("repo") String name,
                                             @PathParam("rev") String rev) {
        return DataResponse.of(content.changeset(repo(org, name), rev));
    }

    @GET
    @Path("/branches")
    public PageResponse<BranchView> branches(@PathParam("org") String org, @PathParam("repo") String name,
                                             @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage);
        return content.branches(repo(org, name), request);
    }

    @GET
    @Path("/tags")
    public PageResponse<TagView> tags(@PathParam("org") String org, @PathParam("repo") String name,
                                      @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage);
        return content.tags(repo(org, name), request);
    }

    private Repo repo(String org, String name) {
        return repos.visibleNow(caller.get(), org, name);
    }
}
