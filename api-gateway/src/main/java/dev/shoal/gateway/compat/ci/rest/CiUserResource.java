package dev.shoal.gateway.compat.ci.rest;

import dev.shoal.gateway.compat.ci.CiRequests.CiUserRequest;
import dev.shoal.gateway.compat.ci.CiUser;
import dev.shoal.gateway.compat.ci.service.CiUserService;
import dev.shoal.gateway.auth.CurrentToken;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** The signed-in user as Drone and Woodpecker clients ask for it. */
@Path("/api/user")
@Produces(MediaType.APPLICATION_JSON)
public class CiUserResource {

    private final CiUserService service;
    private final CurrentCaller caller;
    private final CurrentToken token;

    public CiUserResource(CiUserService service, CurrentCaller caller, CurrentToken token) {
        this.token = token;
        this.service = service;
        this.caller = caller;
    }

    @GET
    public Uni<CiUser> self() {
        return service.self(caller.get());
    }

    /** Drone: the signed-in user changes their own email (admin and active stay as they are). */
    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<CiUser> update(@Valid CiUserRequest body) {
        return service.updateSelf(caller.get(), body);
    }

    /** Drone's {@code latest=true} adds each repository's latest build; Woodpecker's {@code all} changes nothing (all are listed). */
    @GET
    @Path("/repos")
    public Uni<List<Map<String, Object>>> repos(@QueryParam("latest") String latest, @QueryParam("all") String all) {
        return service.repos(caller.get(), flag("latest", latest));
    }

    /**
     * Drone's and Woodpecker's "sync with the forge". Shoal is the forge, so there is nothing to
     * fetch: the answer is the list as it is.
     */
    @POST
    @Path("/repos")
    public Uni<List<Map<String, Object>>> sync() {
        return service.repos(caller.get(), false);
    }

    @POST
    @Path("/repos/refresh")
    public Uni<List<Map<String, Object>>> refresh() {
        return service.repos(caller.get(), false);
    }

    @GET
    @Path("/feed")
    public Uni<List<Map<String, Object>>> feed() {
        return service.feed(caller.get());
    }

    /** Drone: the user with a fresh token in {@code token}. */
    @POST
    @Path("/token")
    public Uni<CiUser> token() {
        return service.issueToken(caller.get(), token.get());
    }

    /** Woodpecker's reset: a fresh token, answered as plain text. */
    @DELETE
    @Path("/token")
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<String> resetToken() {
        return service.issueToken(caller.get(), token.get()).map(CiUser::token);
    }

    static boolean flag(String name, String raw) {
        if (raw == null || raw.isBlank() || raw.equals("false") || raw.equals("0")) {
            return false;
        }
        if (raw.equals("true") || raw.equals("1")) {
            return true;
        }
        throw new dev.shoal.platform.error.ValidationException(name + " must be true or false, got '"
                + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "'");
    }
}
