package dev.shoal.gateway.compat.ci.rest;

import dev.shoal.gateway.compat.ci.CiRequests.CiUserRequest;
import dev.shoal.gateway.compat.ci.CiUser;
import dev.shoal.gateway.compat.ci.service.CiUserService;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Site administration of users in Drone's and Woodpecker's shape (site administrators, by the route table). */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
public class CiUsersResource {

    private final CiUserService service;
    private final CurrentCaller caller;

    public CiUsersResource(CiUserService service, CurrentCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    /** Pages as Woodpecker does ({@code page}, {@code perPage}, default 50); {@code per_page} is read too. */
    @GET
    public Uni<List<CiUser>> list(@QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                  @QueryParam("per_page") String perPageSnake) {
        admin();
        return service.list(page, perPage != null ? perPage : perPageSnake);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<CiUser> create(@Valid CiUserRequest body) {
        return service.create(admin(), null, body);
    }

    @GET
    @Path("/{login}")
    public Uni<CiUser> get(@PathParam("login") String login) {
        admin();
        return service.get(login);
    }

    /** The older Drone reference creates a user at its login's path. */
    @POST
    @Path("/{login}")
    @Consumes(MediaType.WILDCARD)
    public Uni<CiUser> createAt(@PathParam("login") String login, @Valid CiUserRequest body) {
        return service.create(admin(), login, body);
    }

    @PATCH
    @Path("/{login}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<CiUser> update(@PathParam("login") String login, @Valid CiUserRequest body) {
        return service.update(admin(), login, body);
    }

    @DELETE
    @Path("/{login}")
    public Uni<Response> delete(@PathParam("login") String login) {
        return service.delete(admin(), login).map(ignored -> Response.noContent().build());
    }

    /** Site administrators only, whatever the route table said (defense in depth). */
    private dev.shoal.platform.identity.Caller admin() {
        return dev.shoal.gateway.access.Require.siteAdmin(caller.get());
    }
}
