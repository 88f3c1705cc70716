package dev.shoal.webhook.delivery;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/** One delivery in the list: the seed's fields, then Shoal's. */
public record DeliverySummary(long id, @JsonProperty("event_type") String eventType,
                              @JsonProperty("response_code") Integer responseCode,
                              @JsonProperty("duration_ms") Long durationMs, boolean success,
                              @JsonProperty("delivered_at") Instant deliveredAt,
                              @JsonProperty("delivery_uuid") UUID deliveryUuid, int attempts, String status) {
}
