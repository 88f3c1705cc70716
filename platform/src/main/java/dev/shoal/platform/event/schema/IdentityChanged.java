package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code user.*}, {@code org.*}, {@code member.*}: which user or organization changed, and the role where it applies. */
public record IdentityChanged(@JsonProperty("user_id") Long userId, String login,
                              @JsonProperty("org_id") Long orgId, String org, String role) {
}
