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

/** Repository secrets ({@code /repos/{org}/{repo}/secrets}) and organization secrets ({@code /orgs/{org}/secrets}). */
@Path("/api/v1")
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
    @Path("/repos/{org}/{repo}/secrets")
    public Uni<DataResponse<List<Secret>>> listRepo(@PathParam("org") String org, @PathParam("repo") String repo) {
        return service.repoOwner(caller.get(), org, repo).chain(service::list).map(DataResponse::of);
    }

    @POST
    @Path("/repos/{org}/{repo}/secrets")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<Secret>> createRepo(@PathParam("org") String org, @PathParam("repo") String repo,
                                                CreateSecretRequest body) {
        CreateSecretRequest req = require(body);
        return service.repoOwner(caller.get(), org, repo)
                .chain(owner -> service.create(owner, req.name(), req.value(), req.events())).map(DataResponse::of);
    }

    @PATCH
    @Path("/repos/{org}/{repo}/secrets/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Secret>> updateRepo(@PathParam("org") String org, @PathParam("repo") String repo,
                                                @PathParam("name") String name, UpdateSecretRequest body) {
        UpdateSecretRequest req = require(body);
        return service.repoOwner(caller.get(), org, repo)
                .chain(owner -> service.update(owner, name, req.value(), req.events())).map(DataResponse::of);
    }

    @DELETE
    @Path("/repos/{org}/{repo}/secrets/{name}")
    @ResponseStatus(204)
    public Uni<Void> deleteRepo(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("name") String name) {
        return service.repoOwner(caller.get(), org, repo).chain(owner -> service.delete(owner, name));
    }

    @GET
    @Path("/orgs/{org}/secrets")
    public Uni<DataResponse<List<Secret>>> listOrg(@PathParam("org") String org) {
        return service.list(service.orgOwner(caller.get(), org)).map(DataResponse::of);
    }

    @POST
    @Path("/orgs/{org}/secrets")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<Secret>> createOrg(@PathParam("org") String org, CreateSecretRequest body) {
        CreateSecretRequest req = require(body);
        return service.create(service.orgOwner(caller.get(), org), req.name(), req.value(), req.events()).map(DataResponse::of);
    }

    @PATCH
    @Path("/orgs/{org}/secrets/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Secret>> updateOrg(@PathParam("org") String org, @PathParam("name") String name,
                                               UpdateSecretRequest body) {
        UpdateSecretRequest req = require(body);
        return service.update(service.orgOwner(caller.get(), org), name, req.value(), req.events()).map(DataResponse::of);
    }

    @DELETE
    @Path("/orgs/{org}/secrets/{name}")
    @ResponseStatus(204)
    public Uni<Void> deleteOrg(@PathParam("org") String org, @PathParam("name") String name) {
        return service.delete(service.orgOwner(caller.get(), org), name);
    }

    private static <T> T require(T body) {
        if (body == null) {
            throw new ValidationException("send a JSON object body");
        }
        return body;
    }
}
