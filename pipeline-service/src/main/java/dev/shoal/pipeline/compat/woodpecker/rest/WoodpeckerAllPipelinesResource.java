package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.PipelineView;
import dev.shoal.pipeline.pipeline.PipelineFilter;
import dev.shoal.pipeline.pipeline.Statuses;
import dev.shoal.pipeline.compat.woodpecker.service.WoodpeckerService;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Every pipeline of the server, newest first (site admins; the gateway checks). */
@Path("/api/pipelines")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerAllPipelinesResource {

    private final WoodpeckerSupport support;
    private final WoodpeckerService woodpecker;

    public WoodpeckerAllPipelinesResource(WoodpeckerSupport support, WoodpeckerService woodpecker) {
        this.support = support;
        this.woodpecker = woodpecker;
    }

    @GET
    public Uni<List<PipelineView>> list(@QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                        @QueryParam("per_page") String pp, @QueryParam("before") String before,
                                        @QueryParam("after") String after, @QueryParam("status") String status) {
        PageRequest request = WoodpeckerSupport.page(page, perPage, pp);
        String s = status == null || status.isBlank() ? null : WoodpeckerViews.shoalStatus(status.trim());
        if (s != null && !Statuses.PIPELINE_ANY.contains(s)) {
            throw new ValidationException("status must be one of pending, running, success, failure, killed, error, blocked, declined");
        }
        PipelineFilter filter = new PipelineFilter(s, null, null, null, WoodpeckerSupport.time(before, "before"),
                WoodpeckerSupport.time(after, "after"));
        String publicUrl = support.publicUrl();
        return woodpecker.allPipelines(filter, request).map(rows -> rows.stream()
                .map(row -> PipelineView.of(row.repo(), row.pipeline(), null, publicUrl, support.avatars())).toList());
    }
}
