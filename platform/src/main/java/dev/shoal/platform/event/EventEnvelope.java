package dev.shoal.platform.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One event as it travels on Kafka: {@code {"id", "type", "version", "occurred_at", "actor",
 * "repo", "data"}}. {@code data} holds the type's schema class ({@link EventType#dataClass()}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventEnvelope(UUID id, String type, int version, @JsonProperty("occurred_at") Instant occurredAt,
                            Actor actor, RepoRef repo, JsonNode data) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Actor(Long id, String login) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RepoRef(long id, String org, String name, @JsonProperty("is_private") boolean isPrivate) {
    }

    public boolean is(EventType<?> eventType) {
        return eventType.name().equals(type) && eventType.version() == version;
    }
}
