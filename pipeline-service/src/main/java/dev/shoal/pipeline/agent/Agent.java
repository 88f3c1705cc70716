package dev.shoal.pipeline.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/** A registered CI agent. {@code token} is present only in the answer to its registration. */
public record Agent(long id, String name, Map<String, String> labels, String platform,
                    @JsonProperty("created_at") Instant createdAt,
                    @JsonProperty("last_seen_at") Instant lastSeenAt,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String token) {
}
