package dev.shoal.gateway.internal;

import dev.shoal.gateway.user.User;
import dev.shoal.gateway.user.service.UserService;
import dev.shoal.platform.api.DataResponse;
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

    public InternalUserResource(UserService users) {
        this.users = users;
    }

    @GET
    @Path("/{id}")
    public Uni<DataResponse<User>> byId(@PathParam("id") String id) {
        return users.get(Ids.parse("user", id)).map(DataResponse::of);
    }

    @GET
    @Path("/by-name/{username}")
    public Uni<DataResponse<User>> byName(@PathParam("username") String username) {
        return users.get(username).map(DataResponse::of);
    }
}
