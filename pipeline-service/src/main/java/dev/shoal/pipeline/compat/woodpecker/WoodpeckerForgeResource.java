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

/** Woodpecker's forges: Shoal is its own and only forge. */
@Path("/api/forges")
public class WoodpeckerForgeResource {

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

    public WoodpeckerForgeResource(Pool pool, WoodpeckerSupport support, PipelineRepository pipelines, RepoDirectory repos,
                                    @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0") String version,
                                    @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> publicKeyLocation) {
        this.pool = pool;
        this.support = support;
        this.pipelines = pipelines;
        this.repos = repos;
        this.version = version;
        this.publicKeyLocation = publicKeyLocation;
    }

    // --- forges -----------------------------------------------------------------------------------

    @GET
        @Produces(MediaType.APPLICATION_JSON)
    public List<ForgeView> forges() {
        return List.of(shoal());
    }

    @GET
    @Path("/{forge_id}")
    @Produces(MediaType.APPLICATION_JSON)
    public ForgeView forge(@PathParam("forge_id") String id) {
        if (!String.valueOf(WoodpeckerViews.FORGE_ID).equals(id)) {
            throw new NotFoundException("forge '" + WoodpeckerSupport.cut(id) + "' not found: Shoal is its only forge (id 1)");
        }
        return shoal();
    }

    @POST
        public void createForge() {
        throw noExternalForges();
    }

    @PATCH
    @Path("/{forge_id}")
    public void updateForge(@PathParam("forge_id") String id) {
        throw noExternalForges();
    }

    @DELETE
    @Path("/{forge_id}")
    public void deleteForge(@PathParam("forge_id") String id) {
        throw noExternalForges();
    }

    private ForgeView shoal() {
        return new ForgeView(WoodpeckerViews.FORGE_ID, "shoal", support.publicUrl(), "", "", false, Map.of());
    }

    private static ApiException noExternalForges() {
        return new ApiException(422, "unsupported", "external forges are not supported: Shoal is its own forge "
                + "(GET /api/forges lists it); host repositories in Shoal instead");
    }

}
