package dev.shoal.issue.tracker.rest;

import dev.shoal.issue.tracker.TrackerSettings;
import dev.shoal.issue.tracker.service.TrackerService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Issue tracker settings (priorities, close statuses, custom field keys) in the Isurus API. */
@Path("/api/v1/repos/{org}/{repo}/issue-settings")
@Produces(MediaType.APPLICATION_JSON)
public class TrackerResource {

    private final TrackerService settings;
    private final CurrentCaller caller;

    public TrackerResource(TrackerService settings, CurrentCaller caller) {
        this.settings = settings;
        this.caller = caller;
    }

    @GET
    public Uni<DataResponse<TrackerSettings>> get(@PathParam("org") String org, @PathParam("repo") String repo) {
        return settings.get(caller.get(), org, repo).map(DataResponse::of);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<TrackerSettings>> put(@PathParam("org") String org, @PathParam("repo") String repo,
                                                  TrackerSettings body) {
        return settings.put(caller.get(), org, repo, body).map(DataResponse::of);
    }
}
