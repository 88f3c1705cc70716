package dev.shoal.issue.compat.pagure;

import dev.shoal.issue.issue.Issue;
import dev.shoal.issue.user.UserProfile;
import java.util.List;

/** An issue with what Pagure shows beyond the Isurus view: close status, privacy, priority, closer, custom fields. */
public record PagureIssue(Issue issue, Extra extra, UserProfile closedBy, List<CustomValue> customFields) {

    /** What the Isurus issue row lacks and Pagure shows. */
    public record Extra(String closeStatus, boolean isPrivate, Integer priority, Long closedById, String closedByLogin,
                        String org, String repo) {
    }

    /** A custom field's value on the issue. */
    public record CustomValue(String name, String type, String value) {
    }
}
