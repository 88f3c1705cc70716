package dev.shoal.issue.label;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

public record Label(long id, String name, String color, String description,
                    @JsonProperty("created_at") Instant createdAt) {
}
