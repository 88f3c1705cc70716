package dev.shoal.pipeline.compat.woodpecker;

import dev.shoal.pipeline.compat.woodpecker.WoodpeckerViews.PipelineView;
import dev.shoal.pipeline.pipeline.PipelineFilter;
import dev.shoal.pipeline.pipeline.Statuses;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/** Every pipeline of the server, newest first (site admins; the gateway checks). */
@Path("/api/pipelines")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerAllPipelinesResource {

    private final Pool pool;
    private final WoodpeckerSupport support;
    private final PipelineRepository pipelines;
    private final RepoDirectory repos;

    public WoodpeckerAllPipelinesResource(Pool pool, WoodpeckerSupport support, PipelineRepository pipelines,
                                          RepoDirectory repos) {
        this.pool = pool;
        this.support = support;
        this.pipelines = pipelines;
        this.repos = repos;
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
        return pipelines.listAll(pool, filter, request.perPage(), request.offset()).chain(rows -> {
            if (rows.isEmpty()) {
                return Uni.createFrom().item(List.<PipelineView>of());
            }
            List<Uni<PipelineView>> views = new ArrayList<>();
            rows.forEach(p -> views.add(repos.byId(pool, p.repoId()).map(r -> PipelineView.of(
                    r.orElse(new Repo(p.repoId(), null, "", "", true, "main")), p, null, publicUrl))));
            return Uni.join().all(views).andFailFast();
        });
    }
}
