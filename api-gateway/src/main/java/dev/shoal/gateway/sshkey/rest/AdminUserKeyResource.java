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

/** A site administrator on any user's SSH keys (e.g. revoking a leaked key at once). */
@Path("/api/v1/admin/users/{username}/keys")
@Produces(MediaType.APPLICATION_JSON)
public class AdminUserKeyResource {

    private final SshKeyService keys;
    private final CurrentCaller caller;

    public AdminUserKeyResource(SshKeyService keys, CurrentCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @GET
    public Uni<PageResponse<SshKey>> list(@PathParam("username") String username, @QueryParam("page") String page,
                                          @QueryParam("per_page") String perPage) {
        PageRequest paging = PageRequest.of(page, perPage);
        return user(username).chain(userId -> keys.list(KeyOwner.USER, userId, paging));
    }

    @GET
    @Path("/{id}")
    public Uni<DataResponse<SshKey>> get(@PathParam("username") String username, @PathParam("id") String id) {
        long keyId = Ids.parse("key", id);
        return user(username).chain(userId -> keys.get(KeyOwner.USER, userId, keyId)).map(DataResponse::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<SshKey>> add(@PathParam("username") String username, AddSshKeyRequest request) {
        AddSshKeyRequest body = SshKeyBodies.require(request);
        return user(username).chain(userId -> keys.add(KeyOwner.USER, userId, body.title(), body.key(), body.readOnly()))
                .map(DataResponse::of);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("username") String username, @PathParam("id") String id) {
        long keyId = Ids.parse("key", id);
        return user(username).chain(userId -> keys.delete(KeyOwner.USER, userId, keyId)).map(v -> Response.noContent().build());
    }

    private Uni<Long> user(String username) {
        Require.siteAdmin(caller.get());
        return keys.userId(username);
    }
}
