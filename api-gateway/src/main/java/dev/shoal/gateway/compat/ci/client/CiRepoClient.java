package dev.shoal.gateway.compat.ci.client;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * pipeline-service's CI view of repositories: for each id it knows, {@code {"repo": <Drone repo>,
 * "build": <latest Drone build or null>}}. Behind an interface so gateway tests, where
 * pipeline-service does not run, can answer from a local double.
 */
public interface CiRepoClient {

    Uni<List<JsonObject>> summaries(List<Long> repoIds);
}
