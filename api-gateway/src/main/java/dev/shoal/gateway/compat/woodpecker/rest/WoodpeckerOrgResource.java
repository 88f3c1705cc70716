package dev.shoal.gateway.compat.woodpecker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.gateway.org.Org;
import dev.shoal.gateway.org.service.OrgService;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Woodpecker's organization routes, answered by the gateway where organizations live. Shoal's
 * organizations are Woodpecker's orgs of forge 1 (Shoal itself); users are not organizations here.
 */
@Path("/api/orgs")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerOrgResource {

    public record OrgView(long id, @JsonProperty("forge_id") long forgeId, String name, @JsonProperty("is_user") boolean isUser) {

        static OrgView of(Org org) {
            return new OrgView(org.id(), 1, org.name(), false);
        }
    }

    public record OrgPermission(boolean member, boolean admin) {
    }

    private final OrgService orgs;
    private final CurrentCaller caller;

    public WoodpeckerOrgResource(OrgService orgs, CurrentCaller caller) {
        this.orgs = orgs;
        this.caller = caller;
    }

    /** Site admins see every organization; others the ones they belong to. */
    @GET
    public Uni<List<OrgView>> list(@QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                   @QueryParam("per_page") String perPageSnake) {
        PageRequest request = PageRequest.of(page, perPage != null ? perPage : perPageSnake, 50, 100);
        return orgs.list(caller.get(), request).map(list -> list.stream().map(OrgView::of).toList());
    }

    @GET
    @Path("/lookup/{org}")
    public Uni<OrgView> lookup(@PathParam("org") String name) {
        return orgs.get(name).map(OrgView::of);
    }

    @GET
    @Path("/{org_id}")
    public Uni<OrgView> get(@PathParam("org_id") String id) {
        return orgs.byId(id(id)).map(OrgView::of);
    }

    /** The caller's standing in the organization, as the gateway found it for this request. */
    @GET
    @Path("/{org_id}/permissions")
    public Uni<OrgPermission> permissions(@PathParam("org_id") String id) {
        Caller who = caller.get();
        return orgs.byId(id(id)).map(org -> new OrgPermission(who.isMember(), who.isOwner()));
    }

    private static long id(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new NotFoundException("organization '" + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "' not found");
        }
    }
}
