package dev.shoal.pipeline.secret.rest;

import dev.shoal.pipeline.secret.Secret;
import dev.shoal.pipeline.secret.rest.SecretResource.CreateSecretRequest;
import dev.shoal.pipeline.secret.rest.SecretResource.UpdateSecretRequest;
import dev.shoal.pipeline.secret.service.SecretService;
import dev.shoal.platform.api.DataResponse;
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
import java.util.List;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Organization secrets: handed to every repository of the organization unless a repository secret has the name. */
@Path("/api/v1/orgs/{org}/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class OrgSecretResource {

    private final SecretService service;
    private final CurrentCaller caller;

    public OrgSecretResource(SecretService service, CurrentCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    public Uni<DataResponse<List<Secret>>> listOrg(@PathParam("org") String org) {
        return service.list(service.orgOwner(caller.get(), org)).map(DataResponse::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<Secret>> createOrg(@PathParam("org") String org, CreateSecretRequest body) {
        CreateSecretRequest req = SecretResource.require(body);
        return service.create(service.orgOwner(caller.get(), org), req.name(), req.value(), req.events()).map(DataResponse::of);
    }

    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Secret>> updateOrg(@PathParam("org") String org, @PathParam("name") String name,
                                               UpdateSecretRequest body) {
        UpdateSecretRequest req = SecretResource.require(body);
        return service.update(service.orgOwner(caller.get(), org), name, req.value(), req.events()).map(DataResponse::of);
    }

    @DELETE
    @Path("/{name}")
    @ResponseStatus(204)
    public Uni<Void> deleteOrg(@PathParam("org") String org, @PathParam("name") String name) {
        return service.delete(service.orgOwner(caller.get(), org), name);
    }

}
