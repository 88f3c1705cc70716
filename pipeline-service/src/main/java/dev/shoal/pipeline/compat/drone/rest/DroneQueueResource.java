package dev.shoal.pipeline.compat.drone.rest;

import dev.shoal.pipeline.compat.drone.DroneViews.QueueItem;
import dev.shoal.pipeline.compat.drone.service.DroneService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Drone's queue: the pending and running builds of every repository (site administrators, by the route table). */
@Path("/api/queue")
@Produces(MediaType.APPLICATION_JSON)
public class DroneQueueResource {

    private final DroneService drone;

    public DroneQueueResource(DroneService drone) {
        this.drone = drone;
    }

    @GET
    public Uni<List<QueueItem>> queue() {
        return drone.queue();
    }
}
