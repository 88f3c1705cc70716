package dev.shoal.gateway.session;

import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A site administrator sets a user's web sign-in password ({@code PUT /api/v1/admin/users/{username}/password}). */
@Path("/api/v1/admin/users/{username}/password")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminPasswordResource {

    private final SessionService sessions;

    public AdminPasswordResource(SessionService sessions) {
        this.sessions = sessions;
    }

    public record SetPasswordRequest(String password) {
    }

    @PUT
    public Uni<Response> set(@PathParam("username") String username, SetPasswordRequest request) {
        if (request == null) {
            throw new ValidationException("a JSON body with password is required");
        }
        return sessions.set(username, request.password()).map(v -> Response.noContent().build());
    }
}
