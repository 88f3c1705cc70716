package dev.shoal.pipeline.compat.woodpecker.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Woodpecker's version route. */
@Path("/version")
public class WoodpeckerVersionResource {

    public record Version(String source, String version) {
    }

    private final String version;

    public WoodpeckerVersionResource(
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0") String version) {
        this.version = version;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Version version() {
        return new Version("https://github.com/shoal-dev/shoal", version);
    }
}
