package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.service.WoodpeckerDebugService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** Woodpecker's {@code /api/debug/pprof/{name}} answered with the JVM's equivalents (site admins; see the service). */
@Path("/api/debug/pprof")
public class WoodpeckerDebugResource {

    private final WoodpeckerDebugService debug;

    public WoodpeckerDebugResource(WoodpeckerDebugService debug) {
        this.debug = debug;
    }

    @GET
    @Path("/{name}")
    public Uni<Response> profile(@PathParam("name") String name, @QueryParam("seconds") String seconds) {
        return debug.profile(name, seconds).map(p -> {
            Response.ResponseBuilder answer = Response.ok(p.body(), p.mediaType());
            if (p.fileName() != null) {
                answer.header("Content-Disposition", "attachment; filename=\"" + p.fileName() + "\"");
            }
            return answer.build();
        });
    }
}
