package dev.shoal.issue.issue;

import java.time.Instant;

/** One row of the issue table with its milestone's title joined in. */
public record IssueRow(long id, long repoId, long number, String title, String body, String state, Long authorId,
                       String authorLogin, boolean isPinned, Long milestoneId, String milestoneTitle,
                       String milestoneState, Instant createdAt, Instant updatedAt, Instant closedAt) {
}
