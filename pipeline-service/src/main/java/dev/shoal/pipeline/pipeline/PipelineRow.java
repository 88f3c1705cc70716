package dev.shoal.pipeline.pipeline;

import java.time.Instant;
import java.util.Map;

/**
 * A pipeline as stored; {@code pullRequest}, {@code targetBranch}, {@code title} are set for pull request pipelines;
 * {@code commitFacts} is never null (its parts are null when unknown).
 */
public record PipelineRow(long id, long repoId, int number, String commitNode, String branch, String ref, String event,
                          String status, String error, String configFile, boolean fork, Long triggerBy,
                          String triggerUsername, Map<String, String> labels, String platform, Long agentId,
                          Instant createdAt, Instant startedAt, Instant finishedAt, Map<String, String> variables,
                          int parent, String reviewedBy, Instant reviewedAt, Integer pullRequest, String targetBranch,
                          String title, CommitFacts commitFacts) {

    /** The pull request this pipeline builds, or null when it does not build one. */
    public Trigger.PullRequestRef pullRequestRef() {
        return pullRequest == null ? null : new Trigger.PullRequestRef(pullRequest, targetBranch, title);
    }

    public boolean isPullRequest() {
        return pullRequest != null && Trigger.PULL_REQUEST.equals(event);
    }

    public boolean isFinished() {
        return Statuses.isFinished(status);
    }
}
