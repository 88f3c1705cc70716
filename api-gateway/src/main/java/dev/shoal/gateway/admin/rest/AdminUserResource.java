package dev.shoal.gateway.admin.rest;

import dev.shoal.gateway.access.Require;
import dev.shoal.gateway.auth.CurrentToken;
import dev.shoal.gateway.token.ApiToken;
import dev.shoal.gateway.token.rest.CreateTokenRequest;
import dev.shoal.gateway.token.service.TokenService;
import dev.shoal.gateway.user.rest.UserViews.CreateUserRequest;
import dev.shoal.gateway.user.rest.UserViews.UpdateUserRequest;
import dev.shoal.gateway.user.service.UserService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ValidationException;
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
import org.jboss.resteasy.reactive.ResponseStatus;

/** Site administration of users: what the Isurus seed leaves to its web UI. */
@Path("/api/v1/admin/users")
@Produces(MediaType.APPLICATION_JSON)
public class AdminUserResource {

    private final UserService users;
    private final TokenService tokens;
    private final CurrentCaller caller;
    private final CurrentToken token;

    public AdminUserResource(UserService users, TokenService tokens, CurrentCaller caller, CurrentToken token) {
        this.token = token;
        this.users = users;
        this.tokens = tokens;
        this.caller = caller;
    }

    @GET
    public Uni<PageResponse<AdminUser>> list(@QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        admin();
        return users.list(PageRequest.of(page, perPage))
                .map(result -> new PageResponse<>(result.data().stream().map(AdminUser::of).toList(), result.pagination()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<AdminUser>> create(@Valid CreateUserRequest request) {
        requireBody(request);
        return users.create(admin(), new UserService.CreateUser(request.username(), request.email(),
                request.displayName(), request.isAdmin())).map(u -> DataResponse.of(AdminUser.of(u)));
    }

    @GET
    @Path("/{username}")
    public Uni<DataResponse<AdminUser>> get(@PathParam("username") String username) {
        admin();
        return users.get(username).map(u -> DataResponse.of(AdminUser.of(u)));
    }

    @PATCH
    @Path("/{username}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<AdminUser>> update(@PathParam("username") String username, @Valid UpdateUserRequest request) {
        requireBody(request);
        return users.update(admin(), username, new UserService.UpdateUser(request.email(), request.displayName(),
                request.isAdmin(), request.isActive())).map(u -> DataResponse.of(AdminUser.of(u)));
    }

    @DELETE
    @Path("/{username}")
    public Uni<Response> deactivate(@PathParam("username") String username) {
        return users.deactivate(admin(), username).map(u -> Response.noContent().build());
    }

    @POST
    @Path("/{username}/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<ApiToken>> issueToken(@PathParam("username") String username, CreateTokenRequest request) {
        requireBody(request);
        return tokens.createForUsername(admin(), token.get(), username, request.name(), request.scopes(), request.expiresAt())
                .map(DataResponse::of);
    }

    /** Site administrators only, whatever the route table said (defense in depth). */
    private dev.shoal.platform.identity.Caller admin() {
        return Require.siteAdmin(caller.get());
    }

    private static void requireBody(Object request) {
        if (request == null) {
            throw new ValidationException("a JSON body is required");
        }
    }
}
