package dev.shoal.pipeline.compat.drone.repository;

import dev.shoal.pipeline.pipeline.PipelineRow;
import dev.shoal.pipeline.pipeline.StepRow;
import dev.shoal.pipeline.pipeline.repository.PipelineRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads Drone's answers need beyond the pipeline repository's: many pipelines' steps and
 * parameters at once (build lists), log chunks with their times (Drone's per-line {@code time}),
 * the latest pipeline of a ref, and the queue across repositories.
 */
@ApplicationScoped
public class DroneRepository {

    private static final String PIPELINE_COLUMNS = PipelineRepository.PIPELINE_COLUMNS;
    private static final String STEP_COLUMNS = PipelineRepository.STEP_COLUMNS;

    /** A chunk of a step's log with the time it was stored. */
    public record TimedChunk(byte[] bytes, Instant at) {
    }

    /** A pending or running pipeline with its repository's name, for the queue. */
    public record Queued(PipelineRow pipeline, String org, String name) {
    }

    public Uni<Long> counter(SqlClient client, long repoId) {
        return client.preparedQuery("SELECT last_number FROM pipeline_counter WHERE repo_id = $1").execute(Tuple.of(repoId))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
    }

    public Uni<Optional<PipelineRow>> latest(SqlClient client, long repoId, String ref) {
        return client.preparedQuery("SELECT " + PIPELINE_COLUMNS + " FROM pipeline WHERE repo_id = $1 AND ref = $2 "
                        + "ORDER BY number DESC LIMIT 1")
                .execute(Tuple.of(repoId, ref))
                .map(rows -> rows.size() == 0 ? Optional.<PipelineRow>empty()
                        : Optional.of(PipelineRepository.pipeline(rows.iterator().next())));
    }

    /** Steps of each pipeline, in step order. */
    public Uni<Map<Long, List<StepRow>>> steps(SqlClient client, List<Long> pipelineIds) {
        if (pipelineIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT " + STEP_COLUMNS + " FROM step WHERE pipeline_id = ANY($1) ORDER BY pipeline_id, number")
                .execute(Tuple.of(pipelineIds.toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, List<StepRow>> out = new HashMap<>();
                    rows.forEach(r -> {
                        StepRow step = PipelineRepository.step(r);
                        out.computeIfAbsent(step.pipelineId(), k -> new ArrayList<>()).add(step);
                    });
                    return out;
                });
    }

    /** The log's chunks in order, with their times; the caller bounds what it reads by the step's log size. */
    public Uni<List<TimedChunk>> chunks(SqlClient client, long stepId) {
        return client.preparedQuery("SELECT bytes, created_at FROM log_chunk WHERE step_id = $1 ORDER BY seq")
                .execute(Tuple.of(stepId))
                .map(rows -> {
                    List<TimedChunk> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new TimedChunk(r.getBuffer("bytes").getBytes(),
                            PipelineRepository.instant(r.getOffsetDateTime("created_at")))));
                    return out;
                });
    }

    public Uni<Long> logSize(SqlClient client, long stepId) {
        return client.preparedQuery("SELECT log_size FROM step WHERE id = $1").execute(Tuple.of(stepId))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
    }

    public Uni<Void> deleteLog(SqlClient tx, long stepId) {
        return tx.preparedQuery("DELETE FROM log_chunk WHERE step_id = $1").execute(Tuple.of(stepId))
                .chain(() -> tx.preparedQuery("UPDATE step SET log_size = 0, log_chunks = 0, log_carry = NULL WHERE id = $1")
                        .execute(Tuple.of(stepId)))
                .replaceWithVoid();
    }

    /** Pending and running pipelines of repositories that still exist, oldest first. */
    public Uni<List<Queued>> queue(SqlClient client, int limit) {
        return client.preparedQuery("SELECT " + prefixed("p.") + ", r.org AS repo_org, r.name AS repo_name FROM pipeline p "
                        + "JOIN repos r ON r.id = p.repo_id AND NOT r.deleted "
                        + "WHERE p.status IN ('pending', 'running') ORDER BY p.id LIMIT $1")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<Queued> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Queued(PipelineRepository.pipeline(r), r.getString("repo_org"), r.getString("repo_name")));
                    }
                    return out;
                });
    }

    private static String prefixed(String prefix) {
        StringBuilder out = new StringBuilder();
        for (String column : PIPELINE_COLUMNS.split(",\\s*")) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(prefix).append(column);
        }
        return out.toString();
    }
}
