package dev.shoal.pipeline.compat.woodpecker;

import dev.shoal.pipeline.compat.woodpecker.WoodpeckerViews.RegistryView;
import dev.shoal.pipeline.compat.woodpecker.WoodpeckerViews.SecretView;
import dev.shoal.pipeline.registry.service.RegistryService;
import dev.shoal.pipeline.secret.service.SecretService;
import dev.shoal.pipeline.secret.service.SecretService.Owner;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.error.ValidationException;
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
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Woodpecker's secrets and registries of a repository ({@code /api/repos/{repo_id}}), an
 * organization ({@code /api/orgs/{org_id}}) and the server ({@code /api}). Values and passwords go
 * in, never out: answers carry them empty.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerSecretResource {

    /** Woodpecker's Secret body; {@code id}, {@code org_id} and {@code repo_id} are ignored (the path decides). */
    public record SecretBody(Long id, @com.fasterxml.jackson.annotation.JsonProperty("org_id") Long orgId,
                             @com.fasterxml.jackson.annotation.JsonProperty("repo_id") Long repoId, String name,
                             String value, List<String> images, List<String> events) {
    }

    /** Woodpecker's Registry body; {@code readonly} registries do not exist in Shoal. */
    public record RegistryBody(Long id, @com.fasterxml.jackson.annotation.JsonProperty("org_id") Long orgId,
                               @com.fasterxml.jackson.annotation.JsonProperty("repo_id") Long repoId, String address,
                               String username, String password, Boolean readonly) {
    }

    private final WoodpeckerSupport support;
    private final SecretService secrets;
    private final RegistryService registries;

    public WoodpeckerSecretResource(WoodpeckerSupport support, SecretService secrets, RegistryService registries) {
        this.support = support;
        this.secrets = secrets;
        this.registries = registries;
    }

    // --- owners -----------------------------------------------------------------------------------

    private Uni<Owner> repo(String repoId) {
        return support.repo(repoId).map(r -> new Owner("repo", r.id(), r.org(), "repository " + r.fullName()));
    }

    private Uni<Owner> org(String orgId) {
        return Uni.createFrom().item(() -> support.org(orgId));
    }

    private static Uni<Owner> global() {
        return Uni.createFrom().item(SecretService.globalOwner());
    }

    // --- secrets ----------------------------------------------------------------------------------

    @GET
    @Path("/repos/{repo_id}/secrets")
    public Uni<List<SecretView>> listRepoSecrets(@PathParam("repo_id") String id, @QueryParam("page") String page,
                                                 @QueryParam("perPage") String perPage, @QueryParam("per_page") String pp) {
        return listSecrets(repo(id), WoodpeckerSupport.page(page, perPage, pp));
    }

    @GET
    @Path("/repos/{repo_id}/secrets/{secret}")
    public Uni<SecretView> getRepoSecret(@PathParam("repo_id") String id, @PathParam("secret") String name) {
        return repo(id).chain(o -> secrets.detail(o, name)).map(SecretView::of);
    }

    @POST
    @Path("/repos/{repo_id}/secrets")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SecretView> createRepoSecret(@PathParam("repo_id") String id, SecretBody body) {
        return createSecret(repo(id), body);
    }

    @PATCH
    @Path("/repos/{repo_id}/secrets/{secret}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SecretView> updateRepoSecret(@PathParam("repo_id") String id, @PathParam("secret") String name, SecretBody body) {
        return updateSecret(repo(id), name, body);
    }

    @DELETE
    @Path("/repos/{repo_id}/secrets/{secret}")
    @ResponseStatus(204)
    public Uni<Void> deleteRepoSecret(@PathParam("repo_id") String id, @PathParam("secret") String name) {
        return repo(id).chain(o -> secrets.delete(o, name));
    }

    @GET
    @Path("/orgs/{org_id}/secrets")
    public Uni<List<SecretView>> listOrgSecrets(@PathParam("org_id") String id, @QueryParam("page") String page,
                                                @QueryParam("perPage") String perPage, @QueryParam("per_page") String pp) {
        return listSecrets(org(id), WoodpeckerSupport.page(page, perPage, pp));
    }

    @GET
    @Path("/orgs/{org_id}/secrets/{secret}")
    public Uni<SecretView> getOrgSecret(@PathParam("org_id") String id, @PathParam("secret") String name) {
        return org(id).chain(o -> secrets.detail(o, name)).map(SecretView::of);
    }

    @POST
    @Path("/orgs/{org_id}/secrets")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SecretView> createOrgSecret(@PathParam("org_id") String id, SecretBody body) {
        return createSecret(org(id), body);
    }

    @PATCH
    @Path("/orgs/{org_id}/secrets/{secret}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SecretView> updateOrgSecret(@PathParam("org_id") String id, @PathParam("secret") String name, SecretBody body) {
        return updateSecret(org(id), name, body);
    }

    @DELETE
    @Path("/orgs/{org_id}/secrets/{secret}")
    @ResponseStatus(204)
    public Uni<Void> deleteOrgSecret(@PathParam("org_id") String id, @PathParam("secret") String name) {
        return org(id).chain(o -> secrets.delete(o, name));
    }

    @GET
    @Path("/secrets")
    public Uni<List<SecretView>> listGlobalSecrets(@QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                                   @QueryParam("per_page") String pp) {
        return listSecrets(global(), WoodpeckerSupport.page(page, perPage, pp));
    }

    @GET
    @Path("/secrets/{secret}")
    public Uni<SecretView> getGlobalSecret(@PathParam("secret") String name) {
        return global().chain(o -> secrets.detail(o, name)).map(SecretView::of);
    }

    @POST
    @Path("/secrets")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SecretView> createGlobalSecret(SecretBody body) {
        return createSecret(global(), body);
    }

    @PATCH
    @Path("/secrets/{secret}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SecretView> updateGlobalSecret(@PathParam("secret") String name, SecretBody body) {
        return updateSecret(global(), name, body);
    }

    @DELETE
    @Path("/secrets/{secret}")
    @ResponseStatus(204)
    public Uni<Void> deleteGlobalSecret(@PathParam("secret") String name) {
        return global().chain(o -> secrets.delete(o, name));
    }

    private Uni<List<SecretView>> listSecrets(Uni<Owner> owner, PageRequest page) {
        return owner.chain(secrets::details).map(list -> list.stream().skip(page.offset()).limit(page.perPage())
                .map(SecretView::of).toList());
    }

    private Uni<SecretView> createSecret(Uni<Owner> owner, SecretBody body) {
        SecretBody b = require(body, () -> "send a JSON object with 'name', 'value' and optionally 'events' and 'images'");
        return owner.chain(o -> secrets.create(o, b.name(), b.value(), b.events(), b.images())).map(SecretView::of);
    }

    private Uni<SecretView> updateSecret(Uni<Owner> owner, String name, SecretBody body) {
        SecretBody b = require(body, () -> "send a JSON object with 'value', 'events' and/or 'images'");
        if (b.name() != null && !b.name().equals(name)) {
            throw new ValidationException("a secret cannot be renamed: delete it and create '" + b.name() + "'");
        }
        // Woodpecker's UI sends the whole secret back with an empty value when the value is unchanged.
        String value = b.value() == null || b.value().isEmpty() ? null : b.value();
        if (value == null && b.events() == null && b.images() == null) {
            return owner.chain(o -> secrets.detail(o, name)).map(SecretView::of);
        }
        return owner.chain(o -> secrets.update(o, name, value, b.events(), b.images())).map(SecretView::of);
    }

    // --- registries -------------------------------------------------------------------------------

    @GET
    @Path("/repos/{repo_id}/registries")
    public Uni<List<RegistryView>> listRepoRegistries(@PathParam("repo_id") String id, @QueryParam("page") String page,
                                                      @QueryParam("perPage") String perPage, @QueryParam("per_page") String pp) {
        return listRegistries(repo(id), WoodpeckerSupport.page(page, perPage, pp));
    }

    @GET
    @Path("/repos/{repo_id}/registries/{registry}")
    public Uni<RegistryView> getRepoRegistry(@PathParam("repo_id") String id, @PathParam("registry") String address) {
        return repo(id).chain(o -> registries.get(o, address)).map(RegistryView::of);
    }

    @POST
    @Path("/repos/{repo_id}/registries")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RegistryView> createRepoRegistry(@PathParam("repo_id") String id, RegistryBody body) {
        return createRegistry(repo(id), body);
    }

    @PATCH
    @Path("/repos/{repo_id}/registries/{registry}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RegistryView> updateRepoRegistry(@PathParam("repo_id") String id, @PathParam("registry") String address,
                                                RegistryBody body) {
        return updateRegistry(repo(id), address, body);
    }

    @DELETE
    @Path("/repos/{repo_id}/registries/{registry}")
    @ResponseStatus(204)
    public Uni<Void> deleteRepoRegistry(@PathParam("repo_id") String id, @PathParam("registry") String address) {
        return repo(id).chain(o -> registries.delete(o, address));
    }

    @GET
    @Path("/orgs/{org_id}/registries")
    public Uni<List<RegistryView>> listOrgRegistries(@PathParam("org_id") String id, @QueryParam("page") String page,
                                                     @QueryParam("perPage") String perPage, @QueryParam("per_page") String pp) {
        return listRegistries(org(id), WoodpeckerSupport.page(page, perPage, pp));
    }

    @GET
    @Path("/orgs/{org_id}/registries/{registry}")
    public Uni<RegistryView> getOrgRegistry(@PathParam("org_id") String id, @PathParam("registry") String address) {
        return org(id).chain(o -> registries.get(o, address)).map(RegistryView::of);
    }

    @POST
    @Path("/orgs/{org_id}/registries")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RegistryView> createOrgRegistry(@PathParam("org_id") String id, RegistryBody body) {
        return createRegistry(org(id), body);
    }

    @PATCH
    @Path("/orgs/{org_id}/registries/{registry}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RegistryView> updateOrgRegistry(@PathParam("org_id") String id, @PathParam("registry") String address,
                                               RegistryBody body) {
        return updateRegistry(org(id), address, body);
    }

    @DELETE
    @Path("/orgs/{org_id}/registries/{registry}")
    @ResponseStatus(204)
    public Uni<Void> deleteOrgRegistry(@PathParam("org_id") String id, @PathParam("registry") String address) {
        return org(id).chain(o -> registries.delete(o, address));
    }

    @GET
    @Path("/registries")
    public Uni<List<RegistryView>> listGlobalRegistries(@QueryParam("page") String page, @QueryParam("perPage") String perPage,
                                                        @QueryParam("per_page") String pp) {
        return listRegistries(global(), WoodpeckerSupport.page(page, perPage, pp));
    }

    @GET
    @Path("/registries/{registry}")
    public Uni<RegistryView> getGlobalRegistry(@PathParam("registry") String address) {
        return global().chain(o -> registries.get(o, address)).map(RegistryView::of);
    }

    @POST
    @Path("/registries")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RegistryView> createGlobalRegistry(RegistryBody body) {
        return createRegistry(global(), body);
    }

    @PATCH
    @Path("/registries/{registry}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RegistryView> updateGlobalRegistry(@PathParam("registry") String address, RegistryBody body) {
        return updateRegistry(global(), address, body);
    }

    @DELETE
    @Path("/registries/{registry}")
    @ResponseStatus(204)
    public Uni<Void> deleteGlobalRegistry(@PathParam("registry") String address) {
        return global().chain(o -> registries.delete(o, address));
    }

    private Uni<List<RegistryView>> listRegistries(Uni<Owner> owner, PageRequest page) {
        return owner.chain(registries::list).map(list -> list.stream().skip(page.offset()).limit(page.perPage())
                .map(RegistryView::of).toList());
    }

    private Uni<RegistryView> createRegistry(Uni<Owner> owner, RegistryBody body) {
        RegistryBody b = require(body, () -> "send a JSON object with 'address', 'username' and 'password'");
        rejectReadonly(b);
        return owner.chain(o -> registries.create(o, b.address(), b.username(), b.password())).map(RegistryView::of);
    }

    private Uni<RegistryView> updateRegistry(Uni<Owner> owner, String address, RegistryBody body) {
        RegistryBody b = require(body, () -> "send a JSON object with 'username' and/or 'password'");
        rejectReadonly(b);
        if (b.address() != null && !b.address().isBlank() && !b.address().equalsIgnoreCase(address)) {
            throw new ValidationException("a registry's address cannot change: delete it and create '" + b.address() + "'");
        }
        String password = b.password() == null || b.password().isEmpty() ? null : b.password();
        String username = b.username() == null || b.username().isEmpty() ? null : b.username();
        if (password == null && username == null) {
            return owner.chain(o -> registries.get(o, address)).map(RegistryView::of);
        }
        return owner.chain(o -> registries.update(o, address, username, password)).map(RegistryView::of);
    }

    private static void rejectReadonly(RegistryBody b) {
        if (Boolean.TRUE.equals(b.readonly())) {
            throw new ValidationException("readonly registries are not supported: leave 'readonly' false or out");
        }
    }

    private static <T> T require(T body, Supplier<String> message) {
        if (body == null) {
            throw new ValidationException(message.get());
        }
        return body;
    }
}
