package dev.shoal.pipeline.compat.drone.rest;

import dev.shoal.pipeline.compat.drone.DroneViews.DroneError;
import dev.shoal.platform.error.ErrorBody;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Drone clients read errors as {@code {"message": "…"}}. The platform's mappers decide status and
 * message for every failure (bad JSON, validation, not found, …); for requests that reached a Drone
 * resource this filter only rewrites the envelope into Drone's shape, so other paths keep theirs.
 */
public class DroneErrorFilter {

    private static final String PACKAGE = DroneErrorFilter.class.getPackageName();

    @ServerResponseFilter
    public void droneShape(ContainerResponseContext response, SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null
                || !resource.getResourceClass().getPackageName().equals(PACKAGE)) {
            return;
        }
        if (response.getEntity() instanceof ErrorBody body) {
            response.setEntity(new DroneError(body.error().message()));
        }
    }
}
