package dev.shoal.gateway.sshkey.rest;

import dev.shoal.gateway.access.Require;
import dev.shoal.gateway.sshkey.SshKey;
import dev.shoal.gateway.sshkey.KeyOwner;
import dev.shoal.gateway.sshkey.service.SshKeyService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.Ids;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
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

/** The signed-in user's SSH keys, for git over SSH. */
@Path("/api/v1/user/keys")
@Produces(MediaType.APPLICATION_JSON)
public class UserKeyResource {

    private final SshKeyService keys;
    private final CurrentCaller caller;

    public UserKeyResource(SshKeyService keys, CurrentCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @GET
    public Uni<PageResponse<SshKey>> list(@QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        return keys.list(KeyOwner.USER, me(), PageRequest.of(page, perPage));
    }

    @GET
    @Path("/{id}")
    public Uni<DataResponse<SshKey>> get(@PathParam("id") String id) {
        return keys.get(KeyOwner.USER, me(), Ids.parse("key", id)).map(DataResponse::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<SshKey>> add(AddSshKeyRequest request) {
        AddSshKeyRequest body = SshKeyBodies.require(request);
        return keys.add(KeyOwner.USER, me(), body.title(), body.key(), body.readOnly()).map(DataResponse::of);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return keys.delete(KeyOwner.USER, me(), Ids.parse("key", id)).map(v -> Response.noContent().build());
    }

    private long me() {
        return Require.user(caller.get()).userId();
    }
}
