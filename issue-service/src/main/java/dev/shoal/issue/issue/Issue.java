package dev.shoal.issue.issue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.issue.user.UserProfile;
import java.time.Instant;
import java.util.List;

/**
 * An issue as the Isurus API shows it. Following the seed, {@code labels}, {@code comments} (and
 * {@code assignees}, {@code milestone}) appear only when there are any, {@code author} when known.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Issue(long id, long number, String title, String body, String state, UserProfile author,
                    List<Label> labels, List<UserProfile> assignees, Milestone milestone,
                    @JsonProperty("is_pinned") boolean isPinned, List<Comment> comments,
                    @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
                    @JsonProperty("closed_at") Instant closedAt) {

    public static final String NEW = "new";
    public static final String OPEN = "open";
    public static final String CLOSED = "closed";
    public static final List<String> STATES = List.of(NEW, OPEN, CLOSED);

    public record Label(long id, String name, String color) {
    }

    public record Milestone(long id, String title, String state) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Comment(long id, String body, UserProfile author, @JsonProperty("created_at") Instant createdAt,
                          @JsonProperty("updated_at") Instant updatedAt) {
    }

    /** The states an issue may move to from {@code from}: triage, close, reopen. */
    public static List<String> transitionsFrom(String from) {
        return switch (from) {
            case NEW -> List.of(OPEN, CLOSED);
            case OPEN -> List.of(CLOSED);
            case CLOSED -> List.of(OPEN);
            default -> List.of();
        };
    }
}
