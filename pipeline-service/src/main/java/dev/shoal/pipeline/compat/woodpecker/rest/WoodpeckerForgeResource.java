package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.ForgeView;
import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.error.NotFoundException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** Woodpecker's forges: Shoal is its own and only forge (id 1); external forges are refused plainly. */
@Path("/api/forges")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerForgeResource {

    private final WoodpeckerSupport support;

    public WoodpeckerForgeResource(WoodpeckerSupport support) {
        this.support = support;
    }

    @GET
    public List<ForgeView> forges() {
        return List.of(shoal());
    }

    @GET
    @Path("/{forge_id}")
    public ForgeView forge(@PathParam("forge_id") String id) {
        if (!String.valueOf(WoodpeckerViews.FORGE_ID).equals(id)) {
            throw new NotFoundException("forge '" + WoodpeckerSupport.cut(id) + "' not found: Shoal is its only forge (id 1)");
        }
        return shoal();
    }

    @POST
    public void create() {
        throw noExternalForges();
    }

    @PATCH
    @Path("/{forge_id}")
    public void update(@PathParam("forge_id") String id) {
        throw noExternalForges();
    }

    @DELETE
    @Path("/{forge_id}")
    public void delete(@PathParam("forge_id") String id) {
        throw noExternalForges();
    }

    private ForgeView shoal() {
        return new ForgeView(WoodpeckerViews.FORGE_ID, "shoal", support.publicUrl(), "", "", false, Map.of());
    }

    private static ApiException noExternalForges() {
        return new ApiException(422, "unsupported", "external forges are not supported: Shoal is its own forge "
                + "(GET /api/forges lists it); host repositories in Shoal instead");
    }
}
