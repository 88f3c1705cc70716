package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * {@code pipeline.created}, {@code pipeline.status_changed}, {@code step.status_changed}: the
 * pipeline as it is after the change, with its steps. {@code changedStep} names the step whose
 * status changed ({@code step.status_changed} only, else null).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PipelineSnapshot(long id, @JsonProperty("repo_id") long repoId, int number,
                               @JsonProperty("commit_node") String commitNode, String branch, String ref,
                               String event, String status, String error,
                               @JsonProperty("trigger_by") Long triggerBy,
                               @JsonProperty("trigger_username") String triggerUsername,
                               @JsonProperty("created_at") Instant createdAt,
                               @JsonProperty("started_at") Instant startedAt,
                               @JsonProperty("finished_at") Instant finishedAt,
                               List<Step> steps,
                               @JsonProperty("changed_step") Integer changedStep) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Step(long id, int number, String name, String image, String status,
                       @JsonProperty("exit_code") Integer exitCode,
                       @JsonProperty("started_at") Instant startedAt,
                       @JsonProperty("finished_at") Instant finishedAt) {
    }
}
