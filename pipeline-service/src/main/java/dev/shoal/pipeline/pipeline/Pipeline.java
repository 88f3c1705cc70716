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
                       @JsonProperty("pull_request") @JsonInclude(JsonInclude.Include.NON_NULL) PullRequest pullRequest,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<Step> steps) {

    /** Only on pipelines of event {@code pull_request} (an addition to the seed's shape): {@code branch} is the source branch. */
    public record PullRequest(int number, @JsonProperty("target_branch") String targetBranch, String title) {
    }

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
                row.isPullRequest() ? new PullRequest(row.pullRequest(), row.targetBranch(),
                        row.title() == null ? "" : row.title()) : null,
                steps == null ? null : steps.stream().map(s -> new Step(s.id(), s.number(), s.name(), s.image(),
                        s.status(), s.exitCode(), s.startedAt(), s.finishedAt())).toList());
    }
}
