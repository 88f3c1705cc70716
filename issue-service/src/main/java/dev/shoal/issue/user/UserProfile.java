package dev.shoal.issue.user;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.client.UserDirectory;
import java.time.Instant;
import java.util.Optional;

/**
 * A user as the Isurus API shows an author: the full profile when this service has it, else only
 * the id and login the gateway vouched for (the other fields are then left out, not invented).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserProfile(Long id, String username, String email, @JsonProperty("display_name") String displayName,
                          @JsonProperty("is_admin") Boolean isAdmin, @JsonProperty("avatar_url") String avatarUrl,
                          @JsonProperty("created_at") Instant createdAt) {

    /** The full profile of a user the gateway's directory found. */
    public static Optional<UserProfile> of(Optional<UserDirectory.User> found) {
        return found.map(user -> new UserProfile(user.id(), user.username(), user.email(), user.displayName(),
                user.isAdmin(), user.avatarUrl(), user.createdAt()));
    }

    public static UserProfile fallback(Long id, String login) {
        return id == null && login == null ? null : new UserProfile(id, login, null, null, null, null, null);
    }
}
