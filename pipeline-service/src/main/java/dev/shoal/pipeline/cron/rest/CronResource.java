package dev.shoal.pipeline.cron.rest;

import dev.shoal.pipeline.cron.Cron;
import dev.shoal.pipeline.cron.service.CronService;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Scheduled pipelines of a repository. */
@Path("/api/v1/repos/{org}/{repo}/cron")
@Produces(MediaType.APPLICATION_JSON)
public class CronResource {

    public record CronRequest(String name, String schedule, String branch) {
    }

    private final CronService service;
    private final CurrentCaller caller;

    public CronResource(CronService service, CurrentCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    public Uni<DataResponse<List<Cron>>> list(@PathParam("org") String org, @PathParam("repo") String repo) {
        return service.list(caller.get(), org, repo).map(DataResponse::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<DataResponse<Cron>> create(@PathParam("org") String org, @PathParam("repo") String repo, CronRequest body) {
        CronRequest req = require(body);
        return service.create(caller.get(), org, repo, req.name(), req.schedule(), req.branch()).map(DataResponse::of);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<Cron>> update(@PathParam("org") String org, @PathParam("repo") String repo,
                                          @PathParam("id") String id, CronRequest body) {
        CronRequest req = require(body);
        return service.update(caller.get(), org, repo, id, req.name(), req.schedule(), req.branch()).map(DataResponse::of);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("org") String org, @PathParam("repo") String repo, @PathParam("id") String id) {
        return service.delete(caller.get(), org, repo, id);
    }

    private static CronRequest require(CronRequest body) {
        if (body == null) {
            throw new ValidationException("send a JSON object body with 'name' and 'schedule'");
        }
        return body;
    }
}
