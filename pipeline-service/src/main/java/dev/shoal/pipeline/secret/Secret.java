package dev.shoal.pipeline.secret;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** A secret as the API shows it: never its value. */
public record Secret(String name, List<String> events, @JsonProperty("created_at") Instant createdAt,
                     @JsonProperty("updated_at") Instant updatedAt) {
}
