package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** {@code user.created}, {@code user.updated}, {@code user.deactivated}: the user's profile after the change. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserChanged(long id, String username, String email, @JsonProperty("display_name") String displayName,
                          @JsonProperty("is_admin") boolean isAdmin, @JsonProperty("avatar_url") String avatarUrl,
                          @JsonProperty("created_at") Instant createdAt, boolean active) {
}
