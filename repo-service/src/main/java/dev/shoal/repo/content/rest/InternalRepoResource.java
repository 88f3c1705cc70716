package dev.shoal.repo.content.rest;

import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.schema.RepoPushed;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.content.Comparison;
import dev.shoal.repo.content.GitPaths;
import dev.shoal.repo.content.MergeRequest;
import dev.shoal.repo.content.MergeResult;
import dev.shoal.repo.content.RebaseRequest;
import dev.shoal.repo.content.ResolvedRev;
import dev.shoal.repo.content.TreeEntry;
import dev.shoal.repo.content.service.ContentService;
import dev.shoal.repo.content.service.MergeService;
import dev.shoal.repo.repo.InternalRepoView;
import dev.shoal.repo.repo.Repo;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.repo.repo.service.RepoService;
import io.smallrye.common.annotation.Blocking;
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
import java.time.Duration;
import java.util.List;

/** The service-to-service API other Shoal services use (never forwarded by the gateway). */
@Path("/internal/repos")
@Produces(MediaType.APPLICATION_JSON)
public class InternalRepoResource {

    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final RepoService repos;
    private final ContentService content;
    private final MergeService merges;
    private final CurrentCaller caller;
    private final PublicUrl publicUrl;

    public InternalRepoResource(RepoService repos, ContentService content, MergeService merges, CurrentCaller caller,
                                PublicUrl publicUrl) {
        this.repos = repos;
        this.content = content;
        this.merges = merges;
        this.caller = caller;
        this.publicUrl = publicUrl;
    }

    @GET
    @Path("/{id}")
    public Uni<DataResponse<InternalRepoView>> byId(@PathParam("id") long id) {
        return repos.byId(id).map(repo -> DataResponse.of(InternalRepoView.of(repo, publicUrl)));
    }

    @GET
    @Path("/by-name/{org}/{name}")
    public Uni<DataResponse<InternalRepoView>> byName(@PathParam("org") String org, @PathParam("name") String name) {
        return repos.byName(org, name).map(repo -> DataResponse.of(InternalRepoView.of(repo, publicUrl)));
    }

    @GET
    @Path("/{id}/resolve")
    @Blocking
    public DataResponse<ResolvedRev> resolve(@PathParam("id") long id, @QueryParam("ref") String ref) {
        return DataResponse.of(content.resolve(repo(id), ref));
    }

    /** A commit by sha or ref: {@code sha}, {@code message}, {@code author}, {@code author_name}, {@code author_email}, {@code timestamp}. */
    @GET
    @Path("/{id}/commits/{rev}")
    @Blocking
    public DataResponse<RepoPushed.Commit> commit(@PathParam("id") long id, @PathParam("rev") String rev) {
        return DataResponse.of(content.commit(repo(id), rev));
    }

    @GET
    @Path("/{id}/file")
    @Blocking
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response file(@PathParam("id") long id, @QueryParam("ref") String ref, @QueryParam("path") String path) {
        String checked = GitPaths.requireFile(path);
        return RawBlobs.stream(content.open(repo(id), ref, checked), checked);
    }

    @GET
    @Path("/{id}/tree")
    @Blocking
    public DataResponse<List<TreeEntry>> tree(@PathParam("id") long id, @QueryParam("ref") String ref,
                                              @QueryParam("path") String path) {
        String checked = GitPaths.normalize(path);
        return DataResponse.of(content.tree(repo(id), ref, checked));
    }

    @GET
    @Path("/{id}/compare")
    @Blocking
    public DataResponse<Comparison> compare(@PathParam("id") long id, @QueryParam("base") String base,
                                            @QueryParam("head") String head) {
        if (base == null || base.isBlank() || head == null || head.isBlank()) {
            throw new ValidationException("base and head are required: branches, tags or commit SHAs");
        }
        return DataResponse.of(content.compare(repo(id), base, head));
    }

    @POST
    @Path("/{id}/merge")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    public DataResponse<MergeResult> merge(@PathParam("id") long id,
                                           @Valid @NotNull(message = "a JSON body is required") MergeRequest request) {
        return DataResponse.of(merges.merge(repo(id), caller.get(), request));
    }

    @POST
    @Path("/{id}/rebase")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    public DataResponse<MergeResult> rebase(@PathParam("id") long id,
                                            @Valid @NotNull(message = "a JSON body is required") RebaseRequest request) {
        return DataResponse.of(merges.rebaseBranch(repo(id), caller.get(), request));
    }

    private Repo repo(long id) {
        return repos.byId(id).await().atMost(DB_TIMEOUT);
    }
}
