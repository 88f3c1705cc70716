package dev.shoal.pipeline.pipeline;

/**
 * What starts a pipeline.
 *
 * @param event  push, tag, pull_request, cron or manual
 * @param branch the branch (the tag name for tag pipelines)
 * @param ref    the full ref ({@code refs/heads/main}, {@code refs/tags/v1})
 * @param fork   a pull request from a fork: it never receives secrets
 * @param variables extra environment for every step (given at a restart or manual run), never null
 * @param parent the number of the pipeline this one restarts, 0 for none
 */
public record Trigger(String event, String branch, String ref, String commit, Long userId, String username, boolean fork,
                      java.util.Map<String, String> variables, int parent) {

    public Trigger {
        variables = variables == null ? java.util.Map.of() : java.util.Map.copyOf(variables);
    }

    public Trigger(String event, String branch, String ref, String commit, Long userId, String username, boolean fork) {
        this(event, branch, ref, commit, userId, username, fork, java.util.Map.of(), 0);
    }
}
