package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.RegistryView;
import io.smallrye.mutiny.Uni;
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
import java.util.List;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Woodpecker's registries of the server ({@link WoodpeckerSecretEndpoints} does the work). */
@Path("/api/registries")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerGlobalRegistryResource {

    private final WoodpeckerSecretEndpoints e;

    public WoodpeckerGlobalRegistryResource(WoodpeckerSecretEndpoints e) {
        this.e = e;
    }

    @GET
    public Uni<List<RegistryView>> list(@QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                   @QueryParam("per_page") String pp) {
        return e.listRegistries(e.global(), WoodpeckerSupport.page(page, perPage, pp));
    }

    @GET
    @Path("/{registry}")
    public Uni<RegistryView> get(@PathParam("registry") String name) {
        return e.global().chain(o -> e.registries().get(o, name)).map(RegistryView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RegistryView> create(WoodpeckerSecretEndpoints.RegistryBody body) {
        return e.createRegistry(e.global(), body);
    }

    @PATCH
    @Path("/{registry}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RegistryView> update(@PathParam("registry") String name, WoodpeckerSecretEndpoints.RegistryBody body) {
        return e.updateRegistry(e.global(), name, body);
    }

    @DELETE
    @Path("/{registry}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("registry") String name) {
        return e.global().chain(o -> e.registries().delete(o, name));
    }
}
