package dev.shoal.pipeline.compat.woodpecker.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.PipelineView;
import dev.shoal.pipeline.compat.woodpecker.service.WoodpeckerHookService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Woodpecker's forge hook: a signed Shoal webhook delivery ({@code push} or {@code pull_request})
 * starts pipelines; unsigned is 401, wrongly signed 403 (see {@link WoodpeckerHookService}).
 */
@Path("/api/hook")
public class WoodpeckerHookResource {

    /** The pipeline started (or already started by Shoal's own event), or null with the reason in {@code message}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record HookAnswer(String message, PipelineView pipeline) {
    }

    private final WoodpeckerHookService hooks;
    private final WoodpeckerSupport support;

    public WoodpeckerHookResource(WoodpeckerHookService hooks, WoodpeckerSupport support) {
        this.hooks = hooks;
        this.support = support;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<HookAnswer> receive(@HeaderParam("X-Shoal-Event") String event,
                                   @HeaderParam("X-Shoal-Signature-256") String signature,
                                   @HeaderParam("X-Hub-Signature-256") String hubSignature, byte[] body) {
        return hooks.receive(event, signature != null ? signature : hubSignature, body).chain(result ->
                result.pipeline().isEmpty() ? Uni.createFrom().item(new HookAnswer(result.message(), null))
                        : support.repoOf(result.repoId()).map(repo -> new HookAnswer(result.message(),
                                PipelineView.of(repo, result.pipeline().get(), null, support.publicUrl(), support.avatars()))));
    }
}
