package dev.shoal.issue.template.rest;

import dev.shoal.issue.template.IssueTemplate;
import dev.shoal.issue.template.service.TemplateService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/v1/repos/{org}/{repo}/issue-templates")
@Produces(MediaType.APPLICATION_JSON)
public class TemplateResource {

    private final TemplateService templates;
    private final CurrentCaller caller;

    public TemplateResource(TemplateService templates, CurrentCaller caller) {
        this.templates = templates;
        this.caller = caller;
    }

    @GET
    public Uni<DataResponse<List<IssueTemplate>>> list(@PathParam("org") String org, @PathParam("repo") String repo) {
        return templates.list(caller.get(), org, repo).map(DataResponse::of);
    }
}
