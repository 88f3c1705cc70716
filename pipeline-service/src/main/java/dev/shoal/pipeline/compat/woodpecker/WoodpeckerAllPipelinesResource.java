package dev.shoal.pipeline.compat.woodpecker;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.compat.woodpecker.WoodpeckerViews.ForgeView;
import dev.shoal.pipeline.compat.woodpecker.WoodpeckerViews.PipelineView;
import dev.shoal.pipeline.pipeline.PipelineFilter;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.repo.service.RepoDirectory;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Every pipeline of the server, newest first (site admins). */
@Path("/api/pipelines")
public class WoodpeckerAllPipelinesResource {

    public record Version(String source, String version) {
    }

    public record LogLevel(@JsonProperty("log-level") String logLevel) {
    }

    /** Woodpecker's level words and the JBoss/JUL levels they set on the root logger. */
    private static final Map<String, Level> LEVELS = Map.of(
            "trace", org.jboss.logmanager.Level.TRACE, "debug", org.jboss.logmanager.Level.DEBUG,
            "info", org.jboss.logmanager.Level.INFO, "warn", org.jboss.logmanager.Level.WARN,
            "error", org.jboss.logmanager.Level.ERROR, "fatal", org.jboss.logmanager.Level.FATAL,
            "panic", org.jboss.logmanager.Level.FATAL, "disabled", Level.OFF);

    private final Pool pool;
    private final WoodpeckerSupport support;
    private final PipelineRepository pipelines;
    private final RepoDirectory repos;
    private final String version;
    private final Optional<String> publicKeyLocation;

    public WoodpeckerAllPipelinesResource(Pool pool, WoodpeckerSupport support, PipelineRepository pipelines, RepoDirectory repos,
                                    @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0") String version,
                                    @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> publicKeyLocation) {
        this.pool = pool;
        this.support = support;
        this.pipelines = pipelines;
        this.repos = repos;
        this.version = version;
        this.publicKeyLocation = publicKeyLocation;
    }

    // --- all pipelines (site admins) --------------------------------------------------------------

    @GET
        @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<PipelineView>> allPipelines(@QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                                @QueryParam("per_page") String pp, @QueryParam("before") String before,
                                                @QueryParam("after") String after, @QueryParam("status") String status) {
        PageRequest request = WoodpeckerSupport.page(page, perPage, pp);
        String s = status == null || status.isBlank() ? null : WoodpeckerViews.shoalStatus(status.trim());
        if (s != null && !dev.shoal.pipeline.pipeline.Statuses.PIPELINE_ANY.contains(s)) {
            throw new ValidationException("status must be one of pending, running, success, failure, killed, error, blocked, declined");
        }
        PipelineFilter filter = new PipelineFilter(s, null, null, null, WoodpeckerSupport.time(before, "before"),
                WoodpeckerSupport.time(after, "after"));
        return pipelines.listAll(pool, filter, request.perPage(), request.offset()).chain(rows -> {
            if (rows.isEmpty()) {
                return Uni.createFrom().item(List.<PipelineView>of());
            }
            List<Uni<PipelineView>> views = new ArrayList<>();
            rows.forEach(p -> views.add(repos.byId(pool, p.repoId()).map(r -> PipelineView.of(
                    r.orElse(new Repo(p.repoId(), null, "", "", true, "main")), p, null, support.publicUrl()))));
            return Uni.join().all(views).andFailFast();
        });
    }
}
