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

/** Woodpecker's registries of a repository ({@link WoodpeckerSecretEndpoints} does the work). */
@Path("/api/repos/{repo_id}/registries")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerRepoRegistryResource {

    private final WoodpeckerSecretEndpoints e;

    public WoodpeckerRepoRegistryResource(WoodpeckerSecretEndpoints e) {
        this.e = e;
    }

    @GET
    public Uni<List<RegistryView>> list(@PathParam("repo_id") String id, @QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                   @QueryParam("per_page") String pp) {
        return e.listRegistries(e.repo(id), WoodpeckerSupport.page(page, perPage, pp));
    }

    @GET
    @Path("/{registry}")
    public Uni<RegistryView> get(@PathParam("repo_id") String id, @PathParam("registry") String name) {
        return e.repo(id).chain(o -> e.registries().get(o, name)).map(RegistryView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RegistryView> create(@PathParam("repo_id") String id, WoodpeckerSecretEndpoints.RegistryBody body) {
        return e.createRegistry(e.repo(id), body);
    }

    @PATCH
    @Path("/{registry}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RegistryView> update(@PathParam("repo_id") String id, @PathParam("registry") String name, WoodpeckerSecretEndpoints.RegistryBody body) {
        return e.updateRegistry(e.repo(id), name, body);
    }

    @DELETE
    @Path("/{registry}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("repo_id") String id, @PathParam("registry") String name) {
        return e.repo(id).chain(o -> e.registries().delete(o, name));
    }
}
