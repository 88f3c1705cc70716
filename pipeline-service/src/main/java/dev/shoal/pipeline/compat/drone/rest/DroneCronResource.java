package dev.shoal.pipeline.compat.drone.rest;

import dev.shoal.pipeline.compat.drone.DroneViews.DroneCron;
import dev.shoal.pipeline.compat.drone.DroneViews.CronRequest;
import dev.shoal.pipeline.compat.drone.service.DroneSecretCronService;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Drone's cron jobs of a repository, named by name. */
@Path("/api/repos/{org}/{repo}/cron")
@Produces(MediaType.APPLICATION_JSON)
public class DroneCronResource {

    private final DroneSecretCronService service;
    private final CurrentCaller caller;

    public DroneCronResource(DroneSecretCronService service, CurrentCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    public Uni<List<DroneCron>> list(@PathParam("org") String org, @PathParam("repo") String repo) {
        return service.crons(caller.get(), org, repo);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DroneCron> create(@PathParam("org") String org, @PathParam("repo") String repo, CronRequest body) {
        return service.createCron(caller.get(), org, repo, body);
    }

    @GET
    @Path("/{name}")
    public Uni<DroneCron> get(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("name") String name) {
        return service.cron(caller.get(), org, repo, name);
    }

    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DroneCron> update(@PathParam("org") String org, @PathParam("repo") String repo,
                                   @PathParam("name") String name, CronRequest body) {
        return service.updateCron(caller.get(), org, repo, name, body);
    }

    @DELETE
    @Path("/{name}")
    public Uni<Response> delete(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("name") String name) {
        return service.deleteCron(caller.get(), org, repo, name).map(ignored -> Response.noContent().build());
    }
}
