package dev.shoal.issue.compat.pagure;

import dev.shoal.issue.pull.PullRequest;
import dev.shoal.issue.user.UserProfile;
import java.time.Instant;
import java.util.List;

/**
 * A pull request with what Pagure shows beyond the Isurus view: uid, assignee, closer, and the
 * first commit of the change ({@code commit_start}) and the inline comments (both only for a
 * single pull request: in listings they would cost a comparison and a query per row).
 */
public record PagurePull(PullRequest pull, Extra extra, UserProfile assignee, UserProfile closedBy, String commitStart,
                         List<InlineComment> inlineComments, Project project) {

    /** What the Isurus pull request row lacks and Pagure shows. */
    public record Extra(String uid, Long assigneeId, String assigneeLogin, Long closedById, String closedByLogin,
                        long repoId, String org, String repo) {
    }

    /**
     * What Pagure shows of the pull request's project beyond its name: description and creation
     * (repo-service's; null when it cannot be asked), the close statuses and custom field keys of its
     * tracker.
     */
    public record Project(String description, Instant createdAt, List<String> closeStatuses, List<String> customKeys) {
    }

    /** A comment on a line of a file at a commit (a review line comment in the Isurus API). */
    public record InlineComment(long id, String path, int line, String body, String commitSha, UserProfile author,
                                Instant createdAt) {
    }
}
