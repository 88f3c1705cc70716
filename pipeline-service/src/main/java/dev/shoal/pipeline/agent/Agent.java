package dev.shoal.pipeline.agent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * A registered CI agent as the Isurus API shows it. {@code token} is present only in the answer to
 * its registration. {@code orgId} (an organization's own agent takes only its pipelines) and
 * {@code noSchedule} (takes no new work) steer the queue; the Woodpecker API shows them.
 */
public record Agent(long id, String name, Map<String, String> labels, String platform,
                    @JsonProperty("created_at") Instant createdAt,
                    @JsonProperty("last_seen_at") Instant lastSeenAt,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String token,
                    @JsonIgnore Long orgId,
                    @JsonIgnore boolean noSchedule) {
}
