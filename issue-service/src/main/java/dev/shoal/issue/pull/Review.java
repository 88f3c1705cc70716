package dev.shoal.issue.pull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.issue.user.UserProfile;
import java.time.Instant;
import java.util.List;

/** A review, tied to the head commit it was given on; line comments are anchored to that commit. */
public record Review(long id, String state, String body, @JsonProperty("commit_sha") String commitSha,
                     @JsonInclude(JsonInclude.Include.NON_NULL) UserProfile author, List<LineComment> comments,
                     @JsonProperty("created_at") Instant createdAt) {

    public static final List<String> STATES = List.of("approve", "request_changes", "comment");

    public record LineComment(long id, String path, int line, String body, @JsonProperty("commit_sha") String commitSha) {
    }
}
