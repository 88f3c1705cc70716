package dev.shoal.webhook.hook;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** A webhook as the API shows it. The secret is deliberately not part of this type. */
public record Hook(long id, @JsonIgnore long repoId, String url, List<String> events,
                   @JsonProperty("content_type") String contentType,
                   @JsonProperty("is_active") boolean isActive, boolean parallel,
                   @JsonProperty("disabled_reason") String disabledReason,
                   @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {
}
