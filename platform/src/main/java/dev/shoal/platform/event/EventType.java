package dev.shoal.platform.event;

/**
 * A past-tense fact with its topic, version and schema class. Declared once in {@link EventTypes}
 * and used by producers and consumers alike; a breaking change is a new version.
 */
public record EventType<T>(String name, int version, String topic, Class<T> dataClass) {
}
