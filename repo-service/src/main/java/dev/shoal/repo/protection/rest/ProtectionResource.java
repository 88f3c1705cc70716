package dev.shoal.repo.protection.rest;

import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.identity.CurrentCaller;
import dev.shoal.repo.protection.BranchProtection;
import dev.shoal.repo.protection.service.ProtectionService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/** Protection of one branch: no force pushes, no deletion. The PUT takes no body. */
@Path("/api/v1/repos/{org}/{repo}/branches/{branch}/protection")
@Produces(MediaType.APPLICATION_JSON)
public class ProtectionResource {

    private final ProtectionService protections;
    private final CurrentCaller caller;

    public ProtectionResource(ProtectionService protections, CurrentCaller caller) {
        this.protections = protections;
        this.caller = caller;
    }

    @GET
    public Uni<DataResponse<BranchProtection>> get(@PathParam("org") String org, @PathParam("repo") String repo,
                                                   @PathParam("branch") String branch) {
        return protections.get(caller.get(), org, repo, branch).map(DataResponse::of);
    }

    @PUT
    public Uni<DataResponse<BranchProtection>> protect(@PathParam("org") String org, @PathParam("repo") String repo,
                                                       @PathParam("branch") String branch) {
        return protections.protect(caller.get(), org, repo, branch).map(DataResponse::of);
    }

    @DELETE
    public Uni<RestResponse<Void>> unprotect(@PathParam("org") String org, @PathParam("repo") String repo,
                                             @PathParam("branch") String branch) {
        return protections.unprotect(caller.get(), org, repo, branch).map(v -> RestResponse.noContent());
    }
}
