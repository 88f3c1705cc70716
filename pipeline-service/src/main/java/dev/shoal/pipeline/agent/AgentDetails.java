package dev.shoal.pipeline.agent;

import java.time.Instant;
import java.util.Map;

/** Everything stored about an agent (the Woodpecker API shows all of it); {@code token} only right after creation. */
public record AgentDetails(long id, String name, Map<String, String> labels, String platform, Long orgId,
                           boolean noSchedule, int capacity, String backend, String version, Long createdBy,
                           Instant createdAt, Instant updatedAt, Instant lastSeenAt, Instant lastWorkAt, String token) {
}
