package dev.shoal.pipeline.pull;

import java.time.Instant;

/**
 * A pull request as pull_request.* events describe it (issue-service owns pull requests; this is
 * pipeline-service's copy of what CI needs).
 *
 * @param status open, closed or merged
 */
public record PullRequestRow(long repoId, int number, String title, String status, String sourceBranch,
                             String targetBranch, String headSha, boolean fromFork, Instant updatedAt) {
}
