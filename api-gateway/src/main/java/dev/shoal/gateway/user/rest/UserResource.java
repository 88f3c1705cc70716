package dev.shoal.gateway.user.rest;

import dev.shoal.gateway.user.User;
import dev.shoal.gateway.user.service.UserService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/user")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private final UserService users;
    private final CurrentCaller caller;

    public UserResource(UserService users, CurrentCaller caller) {
        this.users = users;
        this.caller = caller;
    }

    @GET
    public Uni<DataResponse<User>> me() {
        return users.get(caller.get().requireUserId()).map(DataResponse::of);
    }
}
