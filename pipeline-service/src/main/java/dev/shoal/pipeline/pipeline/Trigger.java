package dev.shoal.pipeline.pipeline;

/**
 * What starts a pipeline.
 *
 * @param event  push, tag, pull_request, cron or manual
 * @param branch the branch (the tag name for tag pipelines; the source branch of a pull request)
 * @param ref    the full ref ({@code refs/heads/main}, {@code refs/tags/v1}, {@code refs/pull/3/head})
 * @param fork   a pull request from a fork: it never receives secrets
 * @param variables extra environment for every step (given at a restart or manual run), never null
 * @param parent the number of the pipeline this one restarts, 0 for none
 * @param pullRequest the pull request a {@code pull_request} pipeline builds; null for other events
 * @param commitFacts the built commit's message, author and time when the trigger knows them, never null
 */
public record Trigger(String event, String branch, String ref, String commit, Long userId, String username, boolean fork,
                      java.util.Map<String, String> variables, int parent, PullRequestRef pullRequest,
                      CommitFacts commitFacts) {

    public static final String PULL_REQUEST = "pull_request";

    /**
     * The pull request of a pipeline.
     *
     * @param number       its number in the repository
     * @param targetBranch the branch it merges into
     * @param title        its title when the pipeline was created
     */
    public record PullRequestRef(int number, String targetBranch, String title) {
    }

    public Trigger {
        variables = variables == null ? java.util.Map.of() : java.util.Map.copyOf(variables);
        commitFacts = commitFacts == null ? CommitFacts.NONE : commitFacts;
    }

    public Trigger(String event, String branch, String ref, String commit, Long userId, String username, boolean fork,
                   java.util.Map<String, String> variables, int parent, PullRequestRef pullRequest) {
        this(event, branch, ref, commit, userId, username, fork, variables, parent, pullRequest, CommitFacts.NONE);
    }

    /** The same trigger, knowing the commit's message, author and time. */
    public Trigger withCommitFacts(CommitFacts facts) {
        return new Trigger(event, branch, ref, commit, userId, username, fork, variables, parent, pullRequest, facts);
    }

    public Trigger(String event, String branch, String ref, String commit, Long userId, String username, boolean fork,
                   java.util.Map<String, String> variables, int parent) {
        this(event, branch, ref, commit, userId, username, fork, variables, parent, null);
    }

    public Trigger(String event, String branch, String ref, String commit, Long userId, String username, boolean fork) {
        this(event, branch, ref, commit, userId, username, fork, java.util.Map.of(), 0, null);
    }

    /**
     * The branch {@code when: branch} filters match: a pull request's target branch (as Drone and
     * Woodpecker evaluate it), the pipeline's branch otherwise.
     */
    public String filterBranch() {
        return PULL_REQUEST.equals(event) && pullRequest != null && pullRequest.targetBranch() != null
                ? pullRequest.targetBranch() : branch;
    }
}
