package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.CronView;
import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.PipelineView;
import dev.shoal.pipeline.cron.service.CronService;
import dev.shoal.pipeline.pipeline.service.PipelineService;
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
import org.jboss.resteasy.reactive.ResponseStatus;

/** Woodpecker's cron routes: list, get, create, run now, update, delete. */
@Path("/api/repos/{repo_id}/cron")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerCronResource {

    public record CronBody(Long id, String name, @com.fasterxml.jackson.annotation.JsonProperty("repo_id") Long repoId,
                           @com.fasterxml.jackson.annotation.JsonProperty("creator_id") Long creatorId,
                           @com.fasterxml.jackson.annotation.JsonProperty("next_exec") Long nextExec,
                           String schedule, Long created, String branch) {
    }

    private final WoodpeckerSupport support;
    private final CronService crons;
    private final PipelineService pipelines;

    public WoodpeckerCronResource(WoodpeckerSupport support, CronService crons, PipelineService pipelines) {
        this.support = support;
        this.crons = crons;
        this.pipelines = pipelines;
    }

    @GET
    public Uni<List<CronView>> list(@PathParam("repo_id") String repoId, @QueryParam("page") String page,
                                    @QueryParam("perPage") String perPage, @QueryParam("per_page") String pp) {
        PageRequest request = WoodpeckerSupport.page(page, perPage, pp);
        return support.repo(repoId).chain(crons::list).map(list -> list.stream().skip(request.offset())
                .limit(request.perPage()).map(CronView::of).toList());
    }

    @GET
    @Path("/{cron}")
    public Uni<CronView> get(@PathParam("repo_id") String repoId, @PathParam("cron") String id) {
        return support.repo(repoId).chain(repo -> crons.get(repo, id)).map(CronView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<CronView> create(@PathParam("repo_id") String repoId, CronBody body) {
        if (body == null) {
            throw new ValidationException("send a JSON object with 'name', 'schedule' and optionally 'branch'");
        }
        return support.repo(repoId).chain(repo -> crons.create(support.caller(), repo, body.name(), schedule(body.schedule()),
                blankToNull(body.branch()))).map(CronView::of);
    }

    /** Runs the schedule's pipeline now; answers the pipeline. */
    @POST
    @Path("/{cron}")
    public Uni<PipelineView> run(@PathParam("repo_id") String repoId, @PathParam("cron") String id) {
        return support.repo(repoId).chain(repo -> crons.runNow(repo, id).chain(row -> pipelines.steps(row.id())
                .map(steps -> PipelineView.of(repo, row, steps, support.publicUrl(), support.avatars()))));
    }

    @PATCH
    @Path("/{cron}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<CronView> update(@PathParam("repo_id") String repoId, @PathParam("cron") String id, CronBody body) {
        if (body == null) {
            throw new ValidationException("send a JSON object with 'name', 'schedule' and/or 'branch'");
        }
        String schedule = body.schedule() == null || body.schedule().isBlank() ? null : schedule(body.schedule());
        String name = body.name() == null || body.name().isBlank() ? null : body.name();
        return support.repo(repoId).chain(repo -> crons.update(repo, id, name, schedule, blankToNull(body.branch())))
                .map(CronView::of);
    }

    @DELETE
    @Path("/{cron}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("repo_id") String repoId, @PathParam("cron") String id) {
        return support.repo(repoId).chain(repo -> crons.delete(repo, id));
    }

    /**
     * Woodpecker's schedules have a seconds field first ("0 0 * * * *"); Shoal runs at minute
     * precision, so a leading "0" seconds field is dropped and anything else there is refused.
     */
    static String schedule(String raw) {
        if (raw == null) {
            return null;
        }
        String[] fields = raw.trim().split("\\s+");
        if (fields.length == 6) {
            if (!fields[0].equals("0")) {
                throw new ValidationException("schedule: Shoal runs cron at minute precision; with 6 fields the first "
                        + "(seconds) must be 0, got '" + fields[0] + "'");
            }
            return String.join(" ", java.util.Arrays.copyOfRange(fields, 1, 6));
        }
        return raw;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
