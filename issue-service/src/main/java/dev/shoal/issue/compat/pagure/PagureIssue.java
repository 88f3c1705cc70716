package dev.shoal.issue.compat.pagure;

import dev.shoal.issue.compat.pagure.repository.PagureIssueRepository.CustomValue;
import dev.shoal.issue.compat.pagure.repository.PagureIssueRepository.Extra;
import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.user.UserProfile;
import java.util.List;

/** An issue with what Pagure shows beyond the Isurus view: close status, privacy, priority, closer, custom fields. */
public record PagureIssue(Issue issue, Extra extra, UserProfile closedBy, List<CustomValue> customFields) {
}
