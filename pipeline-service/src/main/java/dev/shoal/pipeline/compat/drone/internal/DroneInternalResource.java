package dev.shoal.pipeline.compat.drone.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.pipeline.compat.drone.service.DroneService;
import dev.shoal.pipeline.compat.drone.service.DroneService.RepoSummary;
import dev.shoal.platform.api.DataResponse;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * For the gateway's shared Drone/Woodpecker user endpoints ({@code /api/user/repos}, {@code /api/user/feed}):
 * the CI view of the repositories a user can read, each with its latest build. The gateway decides
 * which repositories those are; repositories this service does not know are left out.
 */
@Path("/internal/drone/repos")
@Produces(MediaType.APPLICATION_JSON)
public class DroneInternalResource {

    static final int MAX_IDS = 1000;

    public record SummaryRequest(@JsonProperty("repo_ids") List<Long> repoIds) {
    }

    private final DroneService drone;

    public DroneInternalResource(DroneService drone) {
        this.drone = drone;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DataResponse<List<RepoSummary>>> summaries(SummaryRequest body) {
        if (body == null || body.repoIds() == null) {
            throw new ValidationException("send {\"repo_ids\": [1, 2, …]}");
        }
        if (body.repoIds().size() > MAX_IDS || body.repoIds().stream().anyMatch(id -> id == null || id < 1)) {
            throw new ValidationException("repo_ids must hold at most " + MAX_IDS + " positive ids");
        }
        return drone.summaries(body.repoIds().stream().distinct().toList()).map(DataResponse::of);
    }
}
