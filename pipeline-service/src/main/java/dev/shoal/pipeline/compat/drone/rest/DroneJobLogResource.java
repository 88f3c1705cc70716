package dev.shoal.pipeline.compat.drone.rest;

import dev.shoal.pipeline.compat.drone.DroneBuild;
import dev.shoal.pipeline.compat.drone.service.DroneService;
import dev.shoal.pipeline.log.service.LogService;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;

/**
 * The older Drone reference's job paths: {@code logs/{number}/{job}} reads a job's (step's) log as
 * text, and its DELETE cancels the build the job belongs to (a Shoal step is not cancelled alone).
 */
@Path("/api/repos/{org}/{repo}/logs/{number}/{job}")
public class DroneJobLogResource {

    private static final Duration LOOKUP = Duration.ofSeconds(10);

    private final LogService logs;
    private final DroneService drone;
    private final CurrentCaller caller;

    public DroneJobLogResource(LogService logs, DroneService drone, CurrentCaller caller) {
        this.logs = logs;
        this.drone = drone;
        this.caller = caller;
    }

    /** Looked up before streaming, on a worker thread, so a wrong path answers 404 rather than an empty text. */
    @GET
    @Blocking
    @Produces(MediaType.TEXT_PLAIN)
    public Multi<byte[]> read(@PathParam("org") String org, @PathParam("repo") String repo,
                              @PathParam("number") String number, @PathParam("job") String job) {
        StepRow step = logs.step(caller.get(), org, repo, number, job).await().atMost(LOOKUP);
        return logs.read(step.id());
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<DroneBuild> cancel(@PathParam("org") String org, @PathParam("repo") String repo,
                                  @PathParam("number") String number, @PathParam("job") String job) {
        return logs.step(caller.get(), org, repo, number, job)
                .chain(step -> drone.cancel(caller.get(), org, repo, number));
    }
}
