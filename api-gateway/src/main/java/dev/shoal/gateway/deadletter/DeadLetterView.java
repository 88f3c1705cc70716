package dev.shoal.gateway.deadletter;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.messaging.DeadLetterTopic;
import java.time.Instant;

/**
 * A dead letter as the admin API shows it: its id on the dead-letter topic, where the event was,
 * which consumer gave up and why, and the original record's value (an event envelope as JSON text).
 */
public record DeadLetterView(String id, String topic, int partition, long offset, String key,
                             @JsonProperty("consumer_group") String consumerGroup, String service, String consumer,
                             @JsonProperty("event_id") String eventId, @JsonProperty("event_type") String eventType,
                             @JsonProperty("error_class") String errorClass, @JsonProperty("error_message") String errorMessage,
                             int attempts, @JsonProperty("dead_lettered_at") Instant deadLetteredAt, String value) {

    public static DeadLetterView of(DeadLetterTopic.Entry entry) {
        var l = entry.letter();
        return new DeadLetterView(entry.id(), l.topic(), l.partition(), l.offset(), l.key(), l.consumerGroup(), l.service(),
                l.consumer(), l.eventId(), l.eventType(), l.errorClass(), l.errorMessage(), l.attempts(), l.deadLetteredAt(),
                l.value());
    }
}
