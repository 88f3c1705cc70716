package dev.shoal.pipeline.agent.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.pipeline.agent.service.AgentService;
import dev.shoal.pipeline.agent.service.QueueService;
import dev.shoal.pipeline.log.service.LogService;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.InternalClaims;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/**
 * The CI agent API. The gateway forwards agent calls with the agent's own token in
 * {@code X-Shoal-Agent-Token}; every call here is authenticated by it.
 */
@Path("/api/v1/ci")
@Produces(MediaType.APPLICATION_JSON)
public class CiResource {

    public record StepStatusRequest(String status, @JsonProperty("exit_code") Integer exitCode,
                                    @JsonProperty("started_at") Instant startedAt,
                                    @JsonProperty("finished_at") Instant finishedAt) {
    }

    /**
     * Shoal's addition: {@code error}, why the agent could not run the pipeline (it refuses to run
     * steps without a sandbox, its clone broke down…), kept as the pipeline's {@code error}.
     */
    public record PipelineStatusRequest(String status, @JsonProperty("finished_at") Instant finishedAt, String error) {
    }

    /**
     * Shoal's addition to the heartbeat: the pipelines the agent process is running. Only their
     * leases are renewed, so a pipeline an agent lost by crashing and restarting under the same
     * registration expires and is queued again. Without a body every lease of the agent is renewed.
     */
    public record HeartbeatRequest(List<Long> running) {
    }

    public record HeartbeatResponse(List<Long> cancel) {
    }

    private final AgentService agents;
    private final QueueService queue;
    private final LogService logs;
    private final ObjectMapper mapper;

    public CiResource(AgentService agents, QueueService queue, LogService logs, ObjectMapper mapper) {
        this.mapper = mapper;
        this.agents = agents;
        this.queue = queue;
        this.logs = logs;
    }

    /** 200 with work, or 204 when there is none (after waiting up to {@code wait} seconds). */
    @POST
    @Path("/poll")
    public Uni<Response> poll(@HeaderParam(InternalClaims.AGENT_TOKEN_HEADER) String token, @QueryParam("wait") String wait) {
        return agents.authenticate(token).chain(agent -> queue.poll(agent, wait))
                .map(work -> work.<Response>map(w -> Response.ok(w).build()).orElseGet(() -> Response.noContent().build()));
    }

    /** The seed's heartbeat has no body; Shoal's agent sends {@code {"running": [ids]}}, read here by hand. */
    @POST
    @Path("/heartbeat")
    @Consumes(MediaType.WILDCARD)
    public Uni<HeartbeatResponse> heartbeat(@HeaderParam(InternalClaims.AGENT_TOKEN_HEADER) String token, String raw) {
        List<Long> running = running(raw);
        return agents.authenticate(token).chain(agent -> queue.heartbeat(agent, running)).map(HeartbeatResponse::new);
    }

    @PUT
    @Path("/steps/{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> stepStatus(@HeaderParam(InternalClaims.AGENT_TOKEN_HEADER) String token, @PathParam("id") String id,
                                    StepStatusRequest body) {
        return agents.authenticate(token).chain(agent -> {
            StepStatusRequest req = require(body);
            return queue.stepStatus(agent, id, req.status(), req.exitCode(), req.startedAt(), req.finishedAt());
        }).map(ignored -> Response.noContent().build());
    }

    @PUT
    @Path("/pipelines/{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> pipelineStatus(@HeaderParam(InternalClaims.AGENT_TOKEN_HEADER) String token,
                                        @PathParam("id") String id, PipelineStatusRequest body) {
        return agents.authenticate(token).chain(agent -> {
            PipelineStatusRequest req = require(body);
            return queue.pipelineStatus(agent, id, req.status(), req.finishedAt(), req.error());
        }).map(ignored -> Response.noContent().build());
    }

    /** Raw text, at most 1 MiB per call. */
    @POST
    @Path("/steps/{id}/log")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> log(@HeaderParam(InternalClaims.AGENT_TOKEN_HEADER) String token, @PathParam("id") String id,
                             byte[] body) {
        return agents.authenticate(token).chain(agent -> logs.append(agent, token, stepId(id), body))
                .map(ignored -> Response.noContent().build());
    }

    private static long stepId(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new NotFoundException("step '" + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "' not found");
        }
    }

    private static <T> T require(T body) {
        if (body == null) {
            throw new ValidationException("send a JSON object body");
        }
        return body;
    }


    private List<Long> running(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            HeartbeatRequest body = mapper.readValue(raw, HeartbeatRequest.class);
            return body.running() == null ? List.of() : body.running();
        } catch (JsonProcessingException e) {
            throw new ValidationException("the heartbeat body must be empty or {\"running\": [pipeline ids]}");
        }
    }
}
