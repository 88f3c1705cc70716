package dev.shoal.gateway.org.rest;

import dev.shoal.gateway.org.Member;
import dev.shoal.gateway.org.Org;
import dev.shoal.gateway.org.service.OrgService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/api/v1/orgs")
@Produces(MediaType.APPLICATION_JSON)
public class OrgResource {

    private final OrgService orgs;
    private final CurrentCaller caller;

    public OrgResource(OrgService orgs, CurrentCaller caller) {
        this.orgs = orgs;
        this.caller = caller;
    }

    public record CreateOrgRequest(String name, String description) {
    }

    public record PutMemberRequest(String role) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<Org>> create(CreateOrgRequest request) {
        if (request == null) {
            throw new ValidationException("a JSON body with name is required");
        }
        return orgs.create(caller.get(), request.name(), request.description()).map(DataResponse::of);
    }

    @GET
    @Path("/{org}")
    public Uni<DataResponse<Org>> get(@PathParam("org") String org) {
        return orgs.get(org).map(DataResponse::of);
    }

    @GET
    @Path("/{org}/members")
    public Uni<PageResponse<Member>> members(@PathParam("org") String org, @QueryParam("page") String page,
                                             @QueryParam("per_page") String perPage) {
        return orgs.members(caller.get(), org, PageRequest.of(page, perPage));
    }

    @PUT
    @Path("/{org}/members/{username}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Member>> putMember(@PathParam("org") String org, @PathParam("username") String username,
                                               PutMemberRequest request) {
        String role = request == null || request.role() == null ? "member" : request.role();
        return orgs.putMember(caller.get(), org, username, role).map(DataResponse::of);
    }

    @DELETE
    @Path("/{org}/members/{username}")
    public Uni<Response> removeMember(@PathParam("org") String org, @PathParam("username") String username) {
        return orgs.removeMember(caller.get(), org, username).map(v -> Response.noContent().build());
    }
}
