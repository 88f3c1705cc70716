package dev.shoal.issue.pull;

import java.time.Instant;

public record PullRow(long id, long repoId, long number, String title, String body, String status, Long authorId,
                      String authorLogin, String sourceBranch, String targetBranch, String headSha, String baseSha,
                      String mergeCommit, Long mergedBy, String mergedByLogin, Instant mergedAt, Instant closedAt,
                      Instant createdAt, Instant updatedAt) {
}
