package dev.shoal.issue.compat.pagure;

import dev.shoal.issue.compat.pagure.repository.PagurePullRepository.Extra;
import dev.shoal.issue.pull.PullRequest;
import dev.shoal.issue.user.UserProfile;

/**
 * A pull request with what Pagure shows beyond the Isurus view: uid, assignee, closer, and the
 * first commit of the change ({@code commit_start}; null in listings, where it would cost a
 * comparison per row).
 */
public record PagurePull(PullRequest pull, Extra extra, UserProfile assignee, UserProfile closedBy, String commitStart) {
}
