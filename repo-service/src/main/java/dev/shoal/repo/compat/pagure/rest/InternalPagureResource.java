package dev.shoal.repo.compat.pagure.rest;

import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.config.PublicUrl;
import dev.shoal.repo.compat.pagure.ProjectSearch;
import dev.shoal.repo.compat.pagure.service.PagureProjectService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * Pagure projects for the gateway's user and group pages (it owns users and organizations, this
 * service owns projects): public projects by owner and fork, or by group (an organization's own
 * projects, which it administers, plus those it holds a group ACL on; {@code acl} keeps those at
 * that level or above).
 */
@Path("/internal/pagure")
@Produces(MediaType.APPLICATION_JSON)
public class InternalPagureResource {

    private final PagureProjectService projects;
    private final PublicUrl publicUrl;

    public InternalPagureResource(PagureProjectService projects, PublicUrl publicUrl) {
        this.projects = projects;
        this.publicUrl = publicUrl;
    }

    @GET
    @Path("/projects")
    public Uni<DataResponse<Map<String, Object>>> projects(@QueryParam("owner") String owner, @QueryParam("fork") String fork,
                                                           @QueryParam("group") String group, @QueryParam("acl") String acl,
                                                           @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage);
        List<String> levels = acl == null || acl.isBlank() ? null : switch (acl) {
            case "admin" -> List.of("admin");
            case "commit" -> List.of("commit", "admin");
            case "ticket" -> List.of("ticket", "commit", "admin");
            default -> throw new dev.shoal.platform.error.ValidationException("acl must be admin, commit or ticket");
        };
        Boolean isFork = fork == null || fork.isBlank() ? null : PagureProjectResource.bool("fork", fork);
        ProjectSearch search = new ProjectSearch(null, null, blank(owner), null, isFork, null, null, blank(group), levels);
        return projects.search(search, request).map(result -> DataResponse.of(Map.of(
                "projects", result.data().stream().map(p -> PagureViews.project(p.forViewer(null), publicUrl,
                        projects.defaultNamespace())).toList(),
                "total", result.pagination().total())));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
