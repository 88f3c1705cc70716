package dev.shoal.issue.pull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.user.UserProfile;
import java.time.Instant;
import java.util.List;

/** A pull request as the API shows it; {@code comments} only when there are any. */
public record PullRequest(long id, long number, String title, String body, String status,
                          @JsonInclude(JsonInclude.Include.NON_NULL) UserProfile author,
                          @JsonProperty("source_bookmark") String sourceBookmark,
                          @JsonProperty("target_branch") String targetBranch,
                          @JsonProperty("head_sha") String headSha, @JsonProperty("base_sha") String baseSha,
                          @JsonProperty("merge_commit") String mergeCommit,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("merged_by") UserProfile mergedBy,
                          @JsonProperty("merged_at") Instant mergedAt, @JsonProperty("closed_at") Instant closedAt,
                          int approvals, @JsonProperty("created_at") Instant createdAt,
                          @JsonProperty("updated_at") Instant updatedAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) List<Issue.Comment> comments) {

    public static final String OPEN = "open";
    public static final String CLOSED = "closed";
    public static final String MERGED = "merged";
    public static final List<String> STATUSES = List.of(OPEN, CLOSED, MERGED);
    public static final List<String> METHODS = List.of("merge", "squash", "rebase", "fast_forward");
}
