package dev.shoal.pipeline.pipeline;

/**
 * What starts a pipeline.
 *
 * @param event  push, tag, pull_request, cron or manual
 * @param branch the branch (the tag name for tag pipelines)
 * @param ref    the full ref ({@code refs/heads/main}, {@code refs/tags/v1})
 * @param fork   a pull request from a fork: it never receives secrets
 */
public record Trigger(String event, String branch, String ref, String commit, Long userId, String username, boolean fork) {
}
