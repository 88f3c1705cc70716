package dev.shoal.gateway.issuer.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.gateway.access.Require;
import dev.shoal.gateway.issuer.StorageIssuer;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.gateway.issuer.service.StorageIssuerService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.Ids;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ValidationException;
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

@Path("/api/v1/admin/storage-issuers")
@Produces(MediaType.APPLICATION_JSON)
public class StorageIssuerResource {

    private final StorageIssuerService issuers;
    private final CurrentCaller caller;

    public StorageIssuerResource(StorageIssuerService issuers, CurrentCaller caller) {
        this.issuers = issuers;
        this.caller = caller;
    }

    public record RegisterIssuerRequest(String name, @JsonProperty("public_key") String publicKey) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<StorageIssuer>> register(RegisterIssuerRequest request) {
        Require.siteAdmin(caller.get());
        if (request == null) {
            throw new ValidationException("a JSON body with name and public_key is required");
        }
        return issuers.register(request.name(), request.publicKey()).map(DataResponse::of);
    }

    @GET
    public Uni<PageResponse<StorageIssuer>> list(@QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        Require.siteAdmin(caller.get());
        return issuers.list(PageRequest.of(page, perPage));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        Require.siteAdmin(caller.get());
        return issuers.delete(Ids.parse("storage issuer", id)).map(v -> Response.noContent().build());
    }
}
