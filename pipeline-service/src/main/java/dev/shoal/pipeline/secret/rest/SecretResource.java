package dev.shoal.pipeline.secret.rest;

import dev.shoal.pipeline.secret.Secret;
import dev.shoal.pipeline.secret.service.SecretService;
import dev.shoal.platform.api.DataResponse;
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
import java.util.List;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Repository secrets. Organization secrets are in {@link OrgSecretResource}. */
@Path("/api/v1/repos/{org}/{repo}/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class SecretResource {

    public record CreateSecretRequest(String name, String value, List<String> events) {
    }

    public record UpdateSecretRequest(String value, List<String> events) {
    }

    private final SecretService service;
    private final CurrentCaller caller;

    public SecretResource(SecretService service, CurrentCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    public Uni<DataResponse<List<Secret>>> listRepo(@PathParam("org") String org, @PathParam("repo") String repo) {
        return service.repoOwner(caller.get(), org, repo).chain(service::list).map(DataResponse::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<Secret>> createRepo(@PathParam("org") String org, @PathParam("repo") String repo,
                                                CreateSecretRequest body) {
        CreateSecretRequest req = require(body);
        return service.repoOwner(caller.get(), org, repo)
                .chain(owner -> service.create(owner, req.name(), req.value(), req.events())).map(DataResponse::of);
    }

    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Secret>> updateRepo(@PathParam("org") String org, @PathParam("repo") String repo,
                                                @PathParam("name") String name, UpdateSecretRequest body) {
        UpdateSecretRequest req = require(body);
        return service.repoOwner(caller.get(), org, repo)
                .chain(owner -> service.update(owner, name, req.value(), req.events())).map(DataResponse::of);
    }

    @DELETE
    @Path("/{name}")
    @ResponseStatus(204)
    public Uni<Void> deleteRepo(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("name") String name) {
        return service.repoOwner(caller.get(), org, repo).chain(owner -> service.delete(owner, name));
    }

    static <T> T require(T body) {
        if (body == null) {
            throw new ValidationException("send a JSON object body");
        }
        return body;
    }
}
