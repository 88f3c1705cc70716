package dev.shoal.gateway.token.rest;

import dev.shoal.gateway.access.Require;
import dev.shoal.gateway.auth.CurrentToken;
import dev.shoal.gateway.token.ApiToken;
import dev.shoal.gateway.token.service.TokenService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.Ids;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/api/v1/user/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final TokenService tokens;
    private final CurrentCaller caller;
    private final CurrentToken token;

    public TokenResource(TokenService tokens, CurrentCaller caller, CurrentToken token) {
        this.tokens = tokens;
        this.caller = caller;
        this.token = token;
    }

    @GET
    public Uni<PageResponse<ApiToken>> list(@QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        return tokens.list(Require.user(caller.get()).userId(), PageRequest.of(page, perPage));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<ApiToken>> create(CreateTokenRequest request) {
        if (request == null) {
            throw new ValidationException("a JSON body with name and scopes is required");
        }
        Caller current = Require.user(caller.get());
        return tokens.create(current, token.get(), current.userId(), request.name(), request.scopes(), request.expiresAt())
                .map(DataResponse::of);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> revoke(@PathParam("id") String id) {
        Caller current = Require.user(caller.get());
        return tokens.revoke(current, current.userId(), Ids.parse("token", id)).map(v -> Response.noContent().build());
    }
}
