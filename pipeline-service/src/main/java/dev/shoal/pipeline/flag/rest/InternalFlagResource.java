package dev.shoal.pipeline.flag.rest;

import dev.shoal.pipeline.flag.CommitFlag;
import dev.shoal.pipeline.flag.service.FlagService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Commit flags for other services (issue-service's Pagure pull request flags are flags on the
 * pull request's head commit). Not in the gateway's route table: reachable only with an internal JWT.
 */
@Path("/internal/repos/{id}/commits/{sha}/flags")
@Produces(MediaType.APPLICATION_JSON)
public class InternalFlagResource {

    private final FlagService flags;

    public InternalFlagResource(FlagService flags) {
        this.flags = flags;
    }

    @GET
    public Uni<DataResponse<List<CommitFlag>>> list(@PathParam("id") String id, @PathParam("sha") String sha) {
        return flags.repo(Ids.parse("repository", id)).chain(repo -> flags.list(repo, sha)).map(DataResponse::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<CommitFlag.Saved>> save(@PathParam("id") String id, @PathParam("sha") String sha, CommitFlag.NewFlag flag) {
        return flags.repo(Ids.parse("repository", id)).chain(repo -> flags.save(repo, sha, flag)).map(DataResponse::of);
    }
}
