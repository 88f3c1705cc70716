package dev.shoal.gateway.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.error.ErrorResponses;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/**
 * Signing in with a password ({@code POST /api/v1/login}). The web interface
 * keeps the session token it gets in an HttpOnly cookie; signing out revokes it through
 * {@code DELETE /api/v1/user/tokens/{id}} like any token.
 */
@Path("/api/v1/login")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionService sessions;

    public SessionResource(SessionService sessions) {
        this.sessions = sessions;
    }

    public record LoginRequest(String username, String password) {
    }

    public record SessionView(long id, String token, @JsonProperty("expires_at") Instant expiresAt, String username) {
    }

    @POST
    public Uni<Response> login(LoginRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw new ValidationException("a JSON body with username and password is required");
        }
        return sessions.signIn(request.username(), request.password(), clientAddress(http))
                .map(s -> Response.status(201).entity(DataResponse.of(new SessionView(s.id(), s.token(), s.expiresAt(), s.username())))
                        .build())
                .onFailure(SessionService.TooManyAttempts.class).recoverWithItem(failure -> {
                    SessionService.TooManyAttempts limited = (SessionService.TooManyAttempts) failure;
                    Response refusal = ErrorResponses.of(429, limited.code(), limited.getMessage());
                    return Response.fromResponse(refusal).header("Retry-After", limited.retryAfter).build();
                });
    }

    /**
     * The peer, plus the address the web interface says it serves: sign-ins through the web interface
     * all come from its address, and one guesser there must not lock everyone else out. A caller can
     * claim any forwarded address, which is why the per-account count does not depend on it.
     */
    private static String clientAddress(HttpServerRequest http) {
        String peer = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        String forwarded = http.getHeader("X-Forwarded-For");
        return forwarded == null || forwarded.isBlank() ? peer : peer + "," + forwarded.split(",")[0].strip();
    }
}
