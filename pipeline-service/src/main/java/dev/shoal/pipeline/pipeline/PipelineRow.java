package dev.shoal.pipeline.pipeline;

import java.time.Instant;
import java.util.Map;

/** A pipeline as stored. */
public record PipelineRow(long id, long repoId, int number, String commitNode, String branch, String ref, String event,
                          String status, String error, String configFile, boolean fork, Long triggerBy,
                          String triggerUsername, Map<String, String> labels, String platform, Long agentId,
                          Instant createdAt, Instant startedAt, Instant finishedAt, Map<String, String> variables,
                          int parent, String reviewedBy, Instant reviewedAt) {

    public boolean isFinished() {
        return Statuses.isFinished(status);
    }
}
