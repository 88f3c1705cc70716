package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.service.WoodpeckerAdminService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Woodpecker's {@code DELETE /api/orgs/{org_id}} (site admins): the CI forgets the organization, its
 * secrets, registries and agents. The organization itself is the forge's (the gateway's), as its
 * other Woodpecker routes are.
 */
@Path("/api/orgs/{org_id}")
public class WoodpeckerOrgResource {

    private final WoodpeckerSupport support;
    private final WoodpeckerAdminService admin;

    public WoodpeckerOrgResource(WoodpeckerSupport support, WoodpeckerAdminService admin) {
        this.support = support;
        this.admin = admin;
    }

    @DELETE
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("org_id") String orgId) {
        return admin.forgetOrg(support.org(orgId).id()).replaceWithVoid();
    }
}
