package dev.shoal.webhook.delivery;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One delivery with what was sent and received on its latest attempt, and the list of attempts.
 * Request headers are what went over the wire: the signature is there, the secret never is.
 */
public record DeliveryDetail(long id, @JsonProperty("event_type") String eventType,
                             @JsonProperty("response_code") Integer responseCode,
                             @JsonProperty("duration_ms") Long durationMs, boolean success,
                             @JsonProperty("delivered_at") Instant deliveredAt,
                             @JsonProperty("delivery_uuid") UUID deliveryUuid, int attempts, String status,
                             @JsonProperty("next_attempt_at") Instant nextAttemptAt, String error,
                             @JsonProperty("created_at") Instant createdAt,
                             Request request, Response response, List<Attempt> history) {

    public record Request(String url, Map<String, String> headers, JsonNode body) {
    }

    public record Response(int status, Map<String, String> headers, String body, boolean truncated) {
    }

    public record Attempt(int attempt, @JsonProperty("response_code") Integer responseCode,
                          @JsonProperty("duration_ms") long durationMs, String error,
                          @JsonProperty("started_at") Instant startedAt) {
    }
}
