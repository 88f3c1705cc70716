package dev.shoal.pipeline.cron;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A scheduled pipeline of a repository. */
public record Cron(long id, String name, String schedule, String branch,
                   @JsonProperty("next_run_at") Instant nextRunAt,
                   @JsonProperty("last_run_at") Instant lastRunAt,
                   @JsonProperty("created_at") Instant createdAt,
                   @JsonProperty("updated_at") Instant updatedAt,
                   @com.fasterxml.jackson.annotation.JsonIgnore long repoId,
                   @com.fasterxml.jackson.annotation.JsonIgnore Long createdBy) {
}
