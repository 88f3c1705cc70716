package dev.shoal.pipeline.compat.woodpecker;

import dev.shoal.platform.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Woodpecker's health check: 204 while the database answers, else 503. */
@Path("/healthz")
public class WoodpeckerHealthResource {

    private final Pool pool;

    public WoodpeckerHealthResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @ResponseStatus(204)
    public Uni<Void> health() {
        return pool.query("SELECT 1").execute().replaceWithVoid()
                .onFailure().transform(e -> new ApiException(503, "unhealthy", "the database does not answer"));
    }
}
