package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code member.added}, {@code member.updated}, {@code member.removed}; role is null on removal. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberChanged(@JsonProperty("org_id") long orgId, String org, @JsonProperty("user_id") long userId,
                            String username, String role) {
}
