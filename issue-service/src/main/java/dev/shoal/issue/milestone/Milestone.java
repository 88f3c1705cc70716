package dev.shoal.issue.milestone;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

public record Milestone(long id, String title, String description, @JsonProperty("due_on") Instant dueOn, String state,
                        @JsonProperty("open_issues") long openIssues, @JsonProperty("closed_issues") long closedIssues,
                        @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {
}
