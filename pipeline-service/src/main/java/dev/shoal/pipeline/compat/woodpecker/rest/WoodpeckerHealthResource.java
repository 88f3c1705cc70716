package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.service.WoodpeckerService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Woodpecker's health check: 204 while the database answers, else 503. */
@Path("/healthz")
public class WoodpeckerHealthResource {

    private final WoodpeckerService woodpecker;

    public WoodpeckerHealthResource(WoodpeckerService woodpecker) {
        this.woodpecker = woodpecker;
    }

    @GET
    @ResponseStatus(204)
    public Uni<Void> health() {
        return woodpecker.health();
    }
}
