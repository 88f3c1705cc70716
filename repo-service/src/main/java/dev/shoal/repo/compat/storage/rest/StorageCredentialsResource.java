package dev.shoal.repo.compat.storage.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.compat.storage.StorageIdentity;
import dev.shoal.repo.compat.storage.service.StorageCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Upstream git credentials of the Code Storage API. POST takes the repository's token (its
 * {@code repo_id} must be the token's repository); PUT and DELETE take an organization-wide token
 * ({@code repo: "org"}) and reach only the issuer's own credentials. All need {@code repo:write}.
 */
@Path("/storage/api/v1/repos/git-credentials")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class StorageCredentialsResource {

    private final StorageCredentials credentials;
    private final CurrentCaller caller;
    private final StorageCalls calls;

    public StorageCredentialsResource(StorageCredentials credentials, CurrentCaller caller, StorageCalls calls) {
        this.credentials = credentials;
        this.caller = caller;
        this.calls = calls;
    }

    @POST
    public Uni<Response> create(@BeanParam StorageHeaders headers, String body) throws JsonProcessingException {
        StorageIdentity who = writer(headers);
        StorageCredentials.CreateRequest request = calls.body(body, StorageCredentials.CreateRequest.class);
        return credentials.create(who, request).map(c -> Response.status(201).entity(c).build());
    }

    @PUT
    public Uni<StorageCredentials.Credential> update(@BeanParam StorageHeaders headers, String body)
            throws JsonProcessingException {
        StorageIdentity who = writer(headers);
        return credentials.update(who, calls.body(body, StorageCredentials.UpdateRequest.class));
    }

    @DELETE
    public Uni<Response> delete(@BeanParam StorageHeaders headers, String body) throws JsonProcessingException {
        StorageIdentity who = writer(headers);
        return credentials.delete(who, calls.body(body, StorageCredentials.DeleteRequest.class)).map(v -> Response.noContent().build());
    }

    private StorageIdentity writer(StorageHeaders headers) {
        StorageIdentity who = headers.identity(caller.get());
        who.require("repo:write");
        return who;
    }
}
