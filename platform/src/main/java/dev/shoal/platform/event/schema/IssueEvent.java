package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * {@code issue.opened|updated|closed|reopened|commented}: the issue as it is after the change, so a
 * consumer never has to call back; {@code comment} is the new comment on {@code issue.commented}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IssueEvent(Issue issue, Comment comment) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Issue(long id, long number, String title, String body, String state, User author,
                        List<Label> labels, List<User> assignees, @JsonProperty("milestone_id") Long milestoneId,
                        @JsonProperty("is_pinned") boolean isPinned, @JsonProperty("created_at") Instant createdAt,
                        @JsonProperty("updated_at") Instant updatedAt, @JsonProperty("closed_at") Instant closedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(Long id, String username) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Label(long id, String name, String color) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Comment(long id, String body, User author, @JsonProperty("created_at") Instant createdAt) {
    }
}
