package dev.shoal.pipeline.compat.woodpecker.rest;

import dev.shoal.pipeline.compat.woodpecker.rest.WoodpeckerViews.LogEntryView;
import dev.shoal.pipeline.log.service.LogService;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.pipeline.service.PipelineService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestMulti;

/** Woodpecker's log routes: {@code /api/repos/{repo_id}/logs/{number}[/{step_id}[/download]]}. */
@Path("/api/repos/{repo_id}/logs")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerLogResource {

    private final WoodpeckerSupport support;
    private final PipelineService pipelines;
    private final LogService logs;

    public WoodpeckerLogResource(WoodpeckerSupport support, PipelineService pipelines, LogService logs) {
        this.support = support;
        this.pipelines = pipelines;
        this.logs = logs;
    }

    /** Every line of a step's log as Woodpecker's log entries (a JSON array, streamed). */
    @GET
    @Path("/{number}/{step_id}")
    public Multi<LogEntryView> logs(@PathParam("repo_id") String repoId, @PathParam("number") String number,
                                    @PathParam("step_id") String stepId) {
        return step(repoId, number, stepId).onItem().transformToMulti(step -> {
            LogLines lines = new LogLines(step.id(), WoodpeckerViews.unix(step.startedAt()));
            Multi<LogEntryView> body = logs.chunks(step.id()).onItem().transformToIterable(chunk ->
                    lines.accept(new String(chunk.bytes(), StandardCharsets.UTF_8), chunk.createdAt().getEpochSecond()));
            return Multi.createBy().concatenating().streams(body,
                    Multi.createFrom().deferred(() -> Multi.createFrom().iterable(lines.finish())));
        });
    }

    /** The step's log as plain text, as a file to save. */
    @GET
    @Path("/{number}/{step_id}/download")
    @Produces(MediaType.TEXT_PLAIN)
    public Multi<byte[]> download(@PathParam("repo_id") String repoId, @PathParam("number") String number,
                                  @PathParam("step_id") String stepId) {
        return RestMulti.fromUniResponse(step(repoId, number, stepId), step -> logs.read(step.id()),
                step -> Map.of("Content-Disposition", List.of("attachment; filename=\"step-" + step.id() + ".log\"")));
    }

    @DELETE
    @Path("/{number}/{step_id}")
    @ResponseStatus(204)
    public Uni<Void> deleteStepLog(@PathParam("repo_id") String repoId, @PathParam("number") String number,
                                   @PathParam("step_id") String stepId) {
        long n = WoodpeckerSupport.number(number);
        long id = WoodpeckerSupport.id(stepId, "step");
        return support.repo(repoId).chain(repo -> pipelines.deleteLogs(repo, n, id));
    }

    @DELETE
    @Path("/{number}")
    @ResponseStatus(204)
    public Uni<Void> deletePipelineLogs(@PathParam("repo_id") String repoId, @PathParam("number") String number) {
        long n = WoodpeckerSupport.number(number);
        return support.repo(repoId).chain(repo -> pipelines.deleteLogs(repo, n, null));
    }

    private Uni<StepRow> step(String repoId, String number, String stepId) {
        return support.step(repoId, number, stepId);
    }

}
