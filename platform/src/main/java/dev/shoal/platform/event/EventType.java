package dev.shoal.platform.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A past-tense fact with its topic, version and schema class. Declared once in {@link EventTypes}
 * and used by producers and consumers alike; a breaking change is a new version.
 */
public record EventType<T>(String name, int version, String topic, Class<T> dataClass) {

    /**
     * The event's {@code data} as this type's schema. Unreadable data fails the consumer's
     * transaction, so the event is retried rather than silently dropped.
     */
    public T read(ObjectMapper mapper, EventEnvelope event) {
        try {
            return mapper.treeToValue(event.data(), dataClass);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable " + event.type() + " event " + event.id() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
