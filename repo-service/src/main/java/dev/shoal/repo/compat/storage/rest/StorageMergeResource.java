package dev.shoal.repo.compat.storage.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shoal.platform.error.ApiException;
import dev.shoal.repo.compat.storage.MergeViews;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.service.StorageMerge;
import dev.shoal.repo.compat.storage.service.StorageRestore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The SDK's merge, previewMerge and restoreCommit under {@code /storage/api/v1/repos}. As for the
 * other Code Storage calls, the repository is the one the caller's JWT names.
 */
@Path("/storage/api/v1/repos")
@Produces(MediaType.APPLICATION_JSON)
public class StorageMergeResource {

    private final StorageMerge merges;
    private final StorageRestore restores;
    private final StorageCalls calls;

    public StorageMergeResource(StorageMerge merges, StorageRestore restores, StorageCalls calls) {
        this.merges = merges;
        this.restores = restores;
        this.calls = calls;
    }

    @POST
    @Path("/merge")
    @Consumes(MediaType.WILDCARD)
    public Uni<MergeViews.Merged> merge(@BeanParam StorageHeaders headers,
                                        String body) throws JsonProcessingException {
        MergeViews.MergeRequest request = calls.body(body, MergeViews.MergeRequest.class);
        return calls.onRepo(headers, "git:write", (r, who) -> merges.merge(r, who, request));
    }

    @GET
    @Path("/merge/preview")
    public Uni<MergeViews.Preview> preview(@BeanParam StorageHeaders headers,
                                           @QueryParam("source_branch") String source, @QueryParam("target_branch") String target,
                                           @QueryParam("include_content") String includeContent,
                                           @QueryParam("source_is_ephemeral") String sourceEphemeral,
                                           @QueryParam("target_is_ephemeral") String targetEphemeral) {
        return calls.onRepo(headers, "git:read", (r, who) -> merges.preview(r, source, target, includeContent,
                sourceEphemeral, targetEphemeral));
    }

    /**
     * Answers in the SDK's restore shape for every refusal about the restore itself (bad body,
     * unknown branch or commit, head moved), so its {@code RefUpdateError} carries our status and
     * message; authentication failures keep the usual error envelope.
     */
    @POST
    @Path("/restore-commit")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> restore(@BeanParam StorageHeaders headers,
                                 String body) {
        return calls.onRepo(headers, "git:write", (r, who) -> restores.restore(r, who, body))
                .map(answer -> Response.status(answer.status()).entity(answer.body()).build())
                .onFailure(e -> e instanceof ApiException api && api.status() == 404)
                .recoverWithItem(e -> Response.status(404).entity(new MergeViews.RestoreAck(null,
                        new MergeViews.RestoreResult(null, null, null, false, "not_found", e.getMessage()))).build());
    }
}
