package dev.shoal.pipeline.compat.drone.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.compat.drone.DroneBuild;
import dev.shoal.pipeline.compat.drone.DroneViews.LogLine;
import dev.shoal.pipeline.compat.drone.service.DroneService;
import dev.shoal.platform.api.FormBody;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Drone 1.x builds: recent, create, latest, one, restart (with parameters), cancel, and step logs as JSON lines. */
@Path("/api/repos/{org}/{repo}/builds")
@Produces(MediaType.APPLICATION_JSON)
public class DroneBuildResource {

    private final DroneService drone;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;

    public DroneBuildResource(DroneService drone, CurrentCaller caller, ObjectMapper mapper) {
        this.drone = drone;
        this.caller = caller;
        this.mapper = mapper;
    }

    @GET
    public Uni<List<DroneBuild>> list(@PathParam("org") String org, @PathParam("repo") String repo,
                                      @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        return drone.builds(caller.get(), org, repo, page, perPage);
    }

    /**
     * Drone's create build: {@code branch} and {@code commit} from the query string pick what runs,
     * every other query parameter (and a form or JSON body) is a build parameter.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<DroneBuild> create(@PathParam("org") String org, @PathParam("repo") String repo, @Context UriInfo uri,
                                  @HeaderParam("Content-Type") String contentType, String body) {
        Map<String, String> params = params(uri, contentType, body);
        String branch = params.remove("branch");
        String commit = params.remove("commit");
        return drone.create(caller.get(), org, repo, branch, commit, params);
    }

    @GET
    @Path("/latest")
    public Uni<DroneBuild> latest(@PathParam("org") String org, @PathParam("repo") String repo,
                                  @QueryParam("ref") String ref, @QueryParam("branch") String branch) {
        return drone.latest(caller.get(), org, repo, ref, branch);
    }

    @GET
    @Path("/{number}")
    public Uni<DroneBuild> get(@PathParam("org") String org, @PathParam("repo") String repo,
                               @PathParam("number") String number) {
        return drone.build(caller.get(), org, repo, number);
    }

    /**
     * Drone takes build parameters from the query string; drone-node sends them as a form body.
     * Both are read (the body's win), and a JSON object of strings too.
     */
    @POST
    @Path("/{number}")
    @Consumes(MediaType.WILDCARD)
    public Uni<DroneBuild> restart(@PathParam("org") String org, @PathParam("repo") String repo,
                                   @PathParam("number") String number, @Context UriInfo uri,
                                   @HeaderParam("Content-Type") String contentType, String body) {
        return drone.restart(caller.get(), org, repo, number, params(uri, contentType, body));
    }

    private Map<String, String> params(UriInfo uri, String contentType, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((key, values) -> params.put(key, values.get(values.size() - 1)));
        if (body != null && !body.isBlank()) {
            if (contentType != null && contentType.toLowerCase().startsWith(MediaType.APPLICATION_JSON)) {
                params.putAll(json(body));
            } else {
                params.putAll(form(body));
            }
        }
        return params;
    }

    @DELETE
    @Path("/{number}")
    public Uni<DroneBuild> cancel(@PathParam("org") String org, @PathParam("repo") String repo,
                                  @PathParam("number") String number) {
        return drone.cancel(caller.get(), org, repo, number);
    }

    @GET
    @Path("/{number}/logs/{stage}/{step}")
    public Uni<List<LogLine>> logs(@PathParam("org") String org, @PathParam("repo") String repo,
                                   @PathParam("number") String number, @PathParam("stage") String stage,
                                   @PathParam("step") String step) {
        return drone.step(caller.get(), org, repo, number, stage, step).chain(drone::lines);
    }

    @DELETE
    @Path("/{number}/logs/{stage}/{step}")
    public Uni<Response> deleteLogs(@PathParam("org") String org, @PathParam("repo") String repo,
                                    @PathParam("number") String number, @PathParam("stage") String stage,
                                    @PathParam("step") String step) {
        return drone.step(caller.get(), org, repo, number, stage, step).chain(drone::deleteLog)
                .map(ignored -> Response.noContent().build());
    }

    private Map<String, String> json(String body) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ValidationException("build parameters must be a JSON object of strings, e.g. {\"DEPLOY\": \"yes\"}");
        }
        if (node == null || !node.isObject()) {
            throw new ValidationException("build parameters must be a JSON object of strings, e.g. {\"DEPLOY\": \"yes\"}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw new ValidationException("build parameter " + field.getKey() + " must be a string");
            }
            out.put(field.getKey(), field.getValue().asText());
        }
        return out;
    }

    /** Drone's parameters are single values: a repeated one keeps its first place and its last value. */
    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            FormBody.decode(body.strip()).forEach((key, values) -> out.put(key, values.get(values.size() - 1)));
        } catch (FormBody.MalformedPair e) {
            throw new ValidationException("build parameters must be form-encoded (KEY=value&OTHER=value)");
        }
        return out;
    }
}
