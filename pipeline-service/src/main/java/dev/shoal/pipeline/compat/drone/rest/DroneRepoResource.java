package dev.shoal.pipeline.compat.drone.rest;

import dev.shoal.pipeline.compat.drone.DroneRepo;
import dev.shoal.pipeline.compat.drone.DroneViews.EncryptRequest;
import dev.shoal.pipeline.compat.drone.DroneViews.Encrypted;
import dev.shoal.pipeline.compat.drone.DroneViews.RepoPatch;
import dev.shoal.pipeline.compat.drone.service.DroneService;
import dev.shoal.platform.error.ValidationException;
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

/**
 * Drone's repository endpoints: read, activate, change CI settings, disable, encrypt a secret. Any
 * name is a Drone repository ({@code move}, {@code branches}, …): the owner decides, see {@link DronePaths}.
 */
@Path("/api/repos")
@Produces(MediaType.APPLICATION_JSON)
public class DroneRepoResource {

    private final DroneService drone;
    private final CurrentCaller caller;

    public DroneRepoResource(DroneService drone, CurrentCaller caller) {
        this.drone = drone;
        this.caller = caller;
    }

    @GET
    @Path(DronePaths.REPO)
    public Uni<DroneRepo> get(@PathParam("org") String org, @PathParam("repo") String repo) {
        return drone.repo(caller.get(), org, repo);
    }

    @POST
    @Path(DronePaths.REPO)
    public Uni<DroneRepo> activate(@PathParam("org") String org, @PathParam("repo") String repo) {
        return drone.activate(caller.get(), org, repo);
    }

    @PATCH
    @Path(DronePaths.REPO)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DroneRepo> update(@PathParam("org") String org, @PathParam("repo") String repo, RepoPatch body) {
        return drone.update(caller.get(), org, repo, body);
    }

    @DELETE
    @Path(DronePaths.REPO)
    public Uni<DroneRepo> disable(@PathParam("org") String org, @PathParam("repo") String repo) {
        return drone.deactivate(caller.get(), org, repo);
    }

    @POST
    @Path(DronePaths.REPO + "/encrypt")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Encrypted> encrypt(@PathParam("org") String org, @PathParam("repo") String repo, EncryptRequest body) {
        if (body == null) {
            throw new ValidationException("send {\"data\": \"<value to encrypt>\"}");
        }
        return drone.encrypt(caller.get(), org, repo, body.data());
    }
}
