package dev.shoal.gateway.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A user changes their own web sign-in password ({@code PUT /api/v1/user/password}). */
@Path("/api/v1/user/password")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PasswordResource {

    private final SessionService sessions;
    private final CurrentCaller caller;

    public PasswordResource(SessionService sessions, CurrentCaller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    public record ChangePasswordRequest(@JsonProperty("current_password") String currentPassword,
                                        @JsonProperty("new_password") String newPassword) {
    }

    @PUT
    public Uni<Response> change(ChangePasswordRequest request) {
        if (request == null) {
            throw new ValidationException("a JSON body with current_password and new_password is required");
        }
        return sessions.change(caller.get().requireUserId(), request.currentPassword(), request.newPassword())
                .map(v -> Response.noContent().build());
    }
}
