package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.SecretView;
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

/** Woodpecker's secrets of a repository ({@link WoodpeckerSecretEndpoints} does the work). */
@Path("/api/repos/{repo_id}/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerRepoSecretResource {

    private final WoodpeckerSecretEndpoints e;

    public WoodpeckerRepoSecretResource(WoodpeckerSecretEndpoints e) {
        this.e = e;
    }

    @GET
    public Uni<List<SecretView>> list(@PathParam("repo_id") String id, @QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                   @QueryParam("per_page") String pp) {
        return e.listSecrets(e.repo(id), WoodpeckerSupport.page(page, perPage, pp));
    }

    @GET
    @Path("/{secret}")
    public Uni<SecretView> get(@PathParam("repo_id") String id, @PathParam("secret") String name) {
        return e.repo(id).chain(o -> e.secrets().detail(o, name)).map(SecretView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SecretView> create(@PathParam("repo_id") String id, WoodpeckerSecretEndpoints.SecretBody body) {
        return e.createSecret(e.repo(id), body);
    }

    @PATCH
    @Path("/{secret}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SecretView> update(@PathParam("repo_id") String id, @PathParam("secret") String name, WoodpeckerSecretEndpoints.SecretBody body) {
        return e.updateSecret(e.repo(id), name, body);
    }

    @DELETE
    @Path("/{secret}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("repo_id") String id, @PathParam("secret") String name) {
        return e.repo(id).chain(o -> e.secrets().delete(o, name));
    }
}
