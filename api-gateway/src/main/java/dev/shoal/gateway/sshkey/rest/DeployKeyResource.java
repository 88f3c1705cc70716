package dev.shoal.gateway.sshkey.rest;

import dev.shoal.gateway.access.Require;
import dev.shoal.gateway.sshkey.SshKey;
import dev.shoal.gateway.sshkey.KeyOwner;
import dev.shoal.gateway.sshkey.service.SshKeyService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.Ids;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * A repository's deploy keys, managed by its owners (the route table requires the owner role; the
 * router resolved the repository and vouches for its id in the caller).
 */
@Path("/api/v1/repos/{org}/{repo}/keys")
@Produces(MediaType.APPLICATION_JSON)
public class DeployKeyResource {

    private final SshKeyService keys;
    private final CurrentCaller caller;

    public DeployKeyResource(SshKeyService keys, CurrentCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @GET
    public Uni<PageResponse<SshKey>> list(@QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        return keys.list(KeyOwner.REPO, repoId(), PageRequest.of(page, perPage));
    }

    @GET
    @Path("/{id}")
    public Uni<DataResponse<SshKey>> get(@PathParam("id") String id) {
        return keys.get(KeyOwner.REPO, repoId(), Ids.parse("key", id)).map(DataResponse::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<SshKey>> add(AddSshKeyRequest request) {
        AddSshKeyRequest body = SshKeyBodies.require(request);
        return keys.add(KeyOwner.REPO, repoId(), body.title(), body.key(), body.readOnly()).map(DataResponse::of);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return keys.delete(KeyOwner.REPO, repoId(), Ids.parse("key", id)).map(v -> Response.noContent().build());
    }

    private long repoId() {
        Caller current = Require.user(caller.get());
        if (current.repoId() == null || !current.isOwner()) {
            throw new NotFoundException("repository not found");
        }
        return current.repoId();
    }
}
