package dev.shoal.gateway.internal;

import dev.shoal.gateway.org.service.OrgDirectory;
import dev.shoal.gateway.access.Require;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.platform.api.Ids;
import dev.shoal.platform.error.NotFoundException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * Membership for services that learn the organization from a request body rather than the path (the
 * gateway sets the role claim only for {org} paths), e.g. Pagure's {@code POST /api/0/new} with a
 * {@code namespace} form field. Answers {@code {"data": {"role", "org_id"}}}. Reachable only with an internal JWT.
 */
@Path("/internal/orgs")
@Produces(MediaType.APPLICATION_JSON)
public class InternalOrgResource {

    private final OrgDirectory orgs;
    private final CurrentCaller caller;

    public InternalOrgResource(OrgDirectory orgs, CurrentCaller caller) {
        this.orgs = orgs;
        this.caller = caller;
    }

    @GET
    @Path("/{org}/members/{userId}")
    public Uni<DataResponse<Map<String, Object>>> role(@PathParam("org") String org, @PathParam("userId") String userId) {
        Require.service(caller.get(), "GET /internal/orgs/" + org + "/members/" + userId);
        long user = Ids.parse("user", userId);
        return orgs.org(org).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().failure(new NotFoundException("organization '" + org + "' not found"));
            }
            long orgId = found.get().id();
            return orgs.role(orgId, user).map(role -> DataResponse.of(Map.<String, Object>of("role", role, "org_id", orgId)));
        });
    }
}
