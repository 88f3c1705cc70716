package dev.shoal.platform.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The value of a record on the dead-letter topic ({@link dev.shoal.platform.event.Topics#DEAD_LETTER}):
 * where the original record was, who gave up on it and why, and the original value verbatim, so it
 * can be replayed to {@code topic} under {@code key} as it was. Written by {@link IdempotentConsumers},
 * read by the gateway's dead-letter admin endpoints. The record's key is the original key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeadLetter(String topic, int partition, long offset, String key,
                         @JsonProperty("consumer_group") String consumerGroup, String service, String consumer,
                         @JsonProperty("event_id") String eventId, @JsonProperty("event_type") String eventType,
                         @JsonProperty("error_class") String errorClass, @JsonProperty("error_message") String errorMessage,
                         int attempts, @JsonProperty("dead_lettered_at") Instant deadLetteredAt, String value) {
}
