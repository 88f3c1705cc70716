package dev.shoal.issue.user;

import java.util.Map;

/** Picks the profile to show for an author: the known profile, else what the row recorded. */
public final class Users {

    private Users() {
    }

    public static UserProfile show(Map<Long, UserProfile> known, Long id, String login) {
        UserProfile profile = id == null ? null : known.get(id);
        return profile != null ? profile : UserProfile.fallback(id, login);
    }
}
