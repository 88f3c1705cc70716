package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** {@code org.created}, {@code org.updated}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrgChanged(long id, String name, String description, @com.fasterxml.jackson.annotation.JsonProperty("created_at") Instant createdAt) {
}
