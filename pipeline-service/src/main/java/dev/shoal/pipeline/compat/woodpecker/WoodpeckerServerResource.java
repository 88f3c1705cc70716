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

/**
 * Woodpecker's server-wide routes: health and version, the log level, the signing key, forges
 * (Shoal is its own and only forge), and the site admin's list of every pipeline.
 */
@Path("/")
public class WoodpeckerServerResource {

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

    public WoodpeckerServerResource(Pool pool, WoodpeckerSupport support, PipelineRepository pipelines, RepoDirectory repos,
                                    @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0") String version,
                                    @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> publicKeyLocation) {
        this.pool = pool;
        this.support = support;
        this.pipelines = pipelines;
        this.repos = repos;
        this.version = version;
        this.publicKeyLocation = publicKeyLocation;
    }

    /** 204 when the database answers, else 503. */
    @GET
    @Path("healthz")
    @ResponseStatus(204)
    public Uni<Void> health() {
        return pool.query("SELECT 1").execute().replaceWithVoid()
                .onFailure().transform(e -> new ApiException(503, "unhealthy", "the database does not answer"));
    }

    @GET
    @Path("version")
    @Produces(MediaType.APPLICATION_JSON)
    public Version version() {
        return new Version("https://github.com/shoal-dev/shoal", version);
    }

    @GET
    @Path("api/log-level")
    @Produces(MediaType.APPLICATION_JSON)
    public LogLevel logLevel() {
        return new LogLevel(currentLevel());
    }

    /** Changes pipeline-service's root log level at once (not persisted: a restart returns to the configured one). */
    @POST
    @Path("api/log-level")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public LogLevel setLogLevel(LogLevel body) {
        String wanted = body == null || body.logLevel() == null ? null : body.logLevel().trim().toLowerCase(Locale.ROOT);
        Level level = wanted == null ? null : LEVELS.get(wanted);
        if (level == null) {
            throw new ValidationException("log-level must be one of trace, debug, info, warn, error, fatal, panic, disabled");
        }
        Logger.getLogger("").setLevel(level);
        return new LogLevel(currentLevel());
    }

    private static String currentLevel() {
        Level level = Logger.getLogger("").getLevel();
        if (level == null) {
            return "info";
        }
        if (level == Level.OFF) {
            return "disabled";
        }
        int v = level.intValue();
        if (v <= org.jboss.logmanager.Level.TRACE.intValue()) {
            return "trace";
        }
        if (v <= org.jboss.logmanager.Level.DEBUG.intValue()) {
            return "debug";
        }
        if (v <= org.jboss.logmanager.Level.INFO.intValue()) {
            return "info";
        }
        if (v <= org.jboss.logmanager.Level.WARN.intValue()) {
            return "warn";
        }
        if (v <= org.jboss.logmanager.Level.ERROR.intValue()) {
            return "error";
        }
        return "fatal";
    }

    /**
     * The public key of what Shoal signs: the ES256 internal JWT its gateway and services send each
     * other (Shoal calls no configuration extensions, Woodpecker's other use of this key).
     */
    @GET
    @Path("api/signature/public-key")
    @Produces(MediaType.TEXT_PLAIN)
    public String publicKey() {
        String location = publicKeyLocation.orElseThrow(() -> new NotFoundException("no signing key is configured"));
        String path = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
        try {
            java.nio.file.Path file = java.nio.file.Path.of(path.startsWith("file:") ? path.substring(5) : path);
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new NotFoundException("the signing key is not readable here");
                }
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new NotFoundException("the signing key is not readable here");
        }
    }

    // --- forges -----------------------------------------------------------------------------------

    @GET
    @Path("api/forges")
    @Produces(MediaType.APPLICATION_JSON)
    public List<ForgeView> forges() {
        return List.of(shoal());
    }

    @GET
    @Path("api/forges/{forge_id}")
    @Produces(MediaType.APPLICATION_JSON)
    public ForgeView forge(@PathParam("forge_id") String id) {
        if (!String.valueOf(WoodpeckerViews.FORGE_ID).equals(id)) {
            throw new NotFoundException("forge '" + WoodpeckerSupport.cut(id) + "' not found: Shoal is its only forge (id 1)");
        }
        return shoal();
    }

    @POST
    @Path("api/forges")
    public void createForge() {
        throw noExternalForges();
    }

    @PATCH
    @Path("api/forges/{forge_id}")
    public void updateForge(@PathParam("forge_id") String id) {
        throw noExternalForges();
    }

    @DELETE
    @Path("api/forges/{forge_id}")
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

    // --- all pipelines (site admins) --------------------------------------------------------------

    @GET
    @Path("api/pipelines")
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
