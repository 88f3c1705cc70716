package dev.shoal.pipeline.compat.drone.rest;

import dev.shoal.pipeline.compat.drone.DroneViews.DroneSecret;
import dev.shoal.pipeline.compat.drone.DroneViews.SecretRequest;
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

/** Drone's repository secrets; values go in, never out. */
@Path("/api/repos/{org}/{repo}/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class DroneSecretResource {

    private final DroneSecretCronService service;
    private final CurrentCaller caller;

    public DroneSecretResource(DroneSecretCronService service, CurrentCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    public Uni<List<DroneSecret>> list(@PathParam("org") String org, @PathParam("repo") String repo) {
        return service.secrets(caller.get(), org, repo);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DroneSecret> create(@PathParam("org") String org, @PathParam("repo") String repo, SecretRequest body) {
        return service.createSecret(caller.get(), org, repo, body);
    }

    @GET
    @Path("/{name}")
    public Uni<DroneSecret> get(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("name") String name) {
        return service.secret(caller.get(), org, repo, name);
    }

    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DroneSecret> update(@PathParam("org") String org, @PathParam("repo") String repo,
                                   @PathParam("name") String name, SecretRequest body) {
        return service.updateSecret(caller.get(), org, repo, name, body);
    }

    @DELETE
    @Path("/{name}")
    public Uni<Response> delete(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("name") String name) {
        return service.deleteSecret(caller.get(), org, repo, name).map(ignored -> Response.noContent().build());
    }
}
