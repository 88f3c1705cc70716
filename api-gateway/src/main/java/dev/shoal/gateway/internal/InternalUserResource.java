package dev.shoal.gateway.internal;

import dev.shoal.gateway.user.User;
import dev.shoal.gateway.user.service.UserService;
import dev.shoal.gateway.access.Require;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.platform.api.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** User profiles for other services (authors, assignees). Reachable only with an internal JWT. */
@Path("/internal/users")
@Produces(MediaType.APPLICATION_JSON)
public class InternalUserResource {

    private final UserService users;
    private final CurrentCaller caller;

    public InternalUserResource(UserService users, CurrentCaller caller) {
        this.users = users;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    public Uni<DataResponse<User>> byId(@PathParam("id") String id) {
        Require.service(caller.get(), "GET /internal/users/" + id);
        return users.get(Ids.parse("user", id)).map(DataResponse::of);
    }

    @GET
    @Path("/by-name/{username}")
    public Uni<DataResponse<User>> byName(@PathParam("username") String username) {
        Require.service(caller.get(), "GET /internal/users/by-name/" + username);
        return users.get(username).map(DataResponse::of);
    }
}
