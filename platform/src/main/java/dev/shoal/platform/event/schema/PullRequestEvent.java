package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code pull_request.opened|updated|merged|closed|commented}: the pull request as it is after the
 * change (head and base shas included, so CI can build it without a callback); {@code comment} is
 * the new comment on {@code pull_request.commented}. {@code from_fork} is optional (true when the
 * head branch lives in another repository; producers without forks leave it out).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PullRequestEvent(@JsonProperty("pull_request") PullRequest pullRequest, IssueEvent.Comment comment) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PullRequest(long id, long number, String title, String body, String status, IssueEvent.User author,
                              @JsonProperty("source_bookmark") String sourceBookmark,
                              @JsonProperty("target_branch") String targetBranch,
                              @JsonProperty("head_sha") String headSha, @JsonProperty("base_sha") String baseSha,
                              @JsonProperty("merge_commit") String mergeCommit,
                              @JsonProperty("merged_by") IssueEvent.User mergedBy,
                              @JsonProperty("merged_at") Instant mergedAt, int approvals,
                              @JsonProperty("created_at") Instant createdAt,
                              @JsonProperty("updated_at") Instant updatedAt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("from_fork") Boolean fromFork) {

        /** Without {@code from_fork}: Shoal's own pull requests are same-repository branches. */
        public PullRequest(long id, long number, String title, String body, String status, IssueEvent.User author,
                           String sourceBookmark, String targetBranch, String headSha, String baseSha, String mergeCommit,
                           IssueEvent.User mergedBy, Instant mergedAt, int approvals, Instant createdAt, Instant updatedAt) {
            this(id, number, title, body, status, author, sourceBookmark, targetBranch, headSha, baseSha, mergeCommit,
                    mergedBy, mergedAt, approvals, createdAt, updatedAt, null);
        }
    }
}
