package dev.shoal.pipeline.compat.woodpecker;

import dev.shoal.pipeline.compat.woodpecker.WoodpeckerViews.LogEntryView;
import dev.shoal.pipeline.log.service.LogService;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.pipeline.service.PipelineService;
import dev.shoal.platform.error.NotFoundException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Woodpecker's log routes: {@code /api/repos/{repo_id}/logs/{number}[/{step_id}[/download]]}. */
@Path("/api/repos/{repo_id}/logs")
@Produces(MediaType.APPLICATION_JSON)
public class WoodpeckerLogResource {

    private static final Duration LOOKUP = Duration.ofSeconds(10);

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
    @Blocking
    public Multi<LogEntryView> logs(@PathParam("repo_id") String repoId, @PathParam("number") String number,
                                    @PathParam("step_id") String stepId) {
        StepRow step = step(repoId, number, stepId).await().atMost(LOOKUP);
        LogLines lines = new LogLines(step.id(), WoodpeckerViews.unix(step.startedAt()));
        Multi<LogEntryView> body = logs.chunks(step.id()).onItem().transformToIterable(chunk ->
                lines.accept(new String(chunk.bytes(), StandardCharsets.UTF_8), chunk.createdAt().getEpochSecond()));
        return Multi.createBy().concatenating().streams(body,
                Multi.createFrom().deferred(() -> Multi.createFrom().iterable(lines.finish())));
    }

    /** The step's log as plain text, as a file to save. */
    @GET
    @Path("/{number}/{step_id}/download")
    @Blocking
    @Produces(MediaType.TEXT_PLAIN)
    public Multi<byte[]> download(@PathParam("repo_id") String repoId, @PathParam("number") String number,
                                  @PathParam("step_id") String stepId) {
        StepRow step = step(repoId, number, stepId).await().atMost(LOOKUP);
        return org.jboss.resteasy.reactive.RestMulti.fromMultiData(logs.read(step.id()))
                .header("Content-Disposition", "attachment; filename=\"step-" + step.id() + ".log\"")
                .build();
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

    /** The step {@code step_id} (Shoal's step id) of pipeline {@code number} of the repository; 404 otherwise. */
    Uni<StepRow> step(String repoId, String number, String stepId) {
        long n = WoodpeckerSupport.number(number);
        long id = WoodpeckerSupport.id(stepId, "step");
        return support.repo(repoId).chain(repo -> pipelines.row(repo, n)).chain(p -> pipelines.steps(p.id()))
                .map(steps -> steps.stream().filter(s -> s.id() == id).findFirst().orElseThrow(() ->
                        new NotFoundException("step " + id + " not found in pipeline #" + n)));
    }

}
