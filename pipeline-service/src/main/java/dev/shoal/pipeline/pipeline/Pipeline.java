package dev.shoal.pipeline.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** A pipeline as the Isurus API shows it; {@code steps} only on the single-pipeline answers. */
public record Pipeline(long id, int number, @JsonProperty("commit_node") String commitNode, String branch, String event,
                       String status, @JsonProperty("trigger_by") Long triggerBy,
                       @JsonProperty("trigger_user") TriggerUser triggerUser,
                       @JsonProperty("created_at") Instant createdAt,
                       @JsonProperty("started_at") Instant startedAt,
                       @JsonProperty("finished_at") Instant finishedAt,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String error,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<Step> steps) {

    public record TriggerUser(Long id, String username) {
    }

    public record Step(long id, int number, String name, String image, String status,
                       @JsonProperty("exit_code") Integer exitCode,
                       @JsonProperty("started_at") Instant startedAt,
                       @JsonProperty("finished_at") Instant finishedAt) {
    }

    public static Pipeline of(PipelineRow row, List<StepRow> steps) {
        return new Pipeline(row.id(), row.number(), row.commitNode(), row.branch(), row.event(), row.status(),
                row.triggerBy(), row.triggerBy() == null && row.triggerUsername() == null ? null
                        : new TriggerUser(row.triggerBy(), row.triggerUsername()),
                row.createdAt(), row.startedAt(), row.finishedAt(), row.error(),
                steps == null ? null : steps.stream().map(s -> new Step(s.id(), s.number(), s.name(), s.image(),
                        s.status(), s.exitCode(), s.startedAt(), s.finishedAt())).toList());
    }
}
