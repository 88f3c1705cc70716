package dev.shoal.gateway.compat.pagure.rest;

import dev.shoal.gateway.user.service.UserService;
import dev.shoal.platform.compat.pagure.PagureErrors;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Pagure API v0 "Extras": version, whoami and the error code dictionary. */
@Path("/api/0/-")
@Produces(MediaType.APPLICATION_JSON)
public class PagureExtrasResource {

    /** Pagure's API revision whose shapes Shoal follows. */
    static final String API_VERSION = "1";

    private final UserService users;
    private final CurrentCaller caller;

    public PagureExtrasResource(UserService users, CurrentCaller caller) {
        this.users = users;
        this.caller = caller;
    }

    @GET
    @Path("/version")
    public Map<String, String> version() {
        return Map.of("version", API_VERSION);
    }

    // Pagure documents whoami as POST; GET is accepted too since it changes nothing.
    @POST
    @Path("/whoami")
    public Uni<Map<String, String>> whoamiPost() {
        return whoami();
    }

    @GET
    @Path("/whoami")
    public Uni<Map<String, String>> whoami() {
        return users.get(caller.get().requireUserId()).map(user -> Map.of("username", user.username()));
    }

    @GET
    @Path("/error_codes")
    public Map<String, String> errorCodes() {
        return PagureErrors.ALL;
    }
}
