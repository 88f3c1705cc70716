package dev.shoal.repo.storage.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.storage.StorageIdentity;
import dev.shoal.repo.storage.service.StorageCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
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
    private final ObjectMapper json;

    public StorageCredentialsResource(StorageCredentials credentials, CurrentCaller caller, ObjectMapper json) {
        this.credentials = credentials;
        this.caller = caller;
        this.json = json;
    }

    @POST
    public Uni<Response> create(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes, String body) throws JsonProcessingException {
        StorageIdentity who = writer(issuer, repo, scopes);
        StorageCredentials.CreateRequest request = read(body, StorageCredentials.CreateRequest.class);
        return credentials.create(who, request).map(c -> Response.status(201).entity(c).build());
    }

    @PUT
    public Uni<StorageCredentials.Credential> update(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                                     @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                                     @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes, String body)
            throws JsonProcessingException {
        StorageIdentity who = writer(issuer, repo, scopes);
        return credentials.update(who, read(body, StorageCredentials.UpdateRequest.class));
    }

    @DELETE
    public Uni<Response> delete(@HeaderParam(StorageIdentity.ISSUER_HEADER) String issuer,
                                @HeaderParam(StorageIdentity.REPO_HEADER) String repo,
                                @HeaderParam(StorageIdentity.SCOPES_HEADER) String scopes, String body) throws JsonProcessingException {
        StorageIdentity who = writer(issuer, repo, scopes);
        return credentials.delete(who, read(body, StorageCredentials.DeleteRequest.class)).map(v -> Response.noContent().build());
    }

    private StorageIdentity writer(String issuer, String repo, String scopes) {
        StorageIdentity who = StorageIdentity.of(caller.get(), issuer, repo, scopes);
        who.require("repo:write");
        return who;
    }

    /** The body read with the application's mapper (unknown fields, wrong types, bad JSON: 400); absent → null. */
    private <T> T read(String body, Class<T> type) throws JsonProcessingException {
        return body == null || body.isBlank() ? null : json.readValue(body, type);
    }
}
