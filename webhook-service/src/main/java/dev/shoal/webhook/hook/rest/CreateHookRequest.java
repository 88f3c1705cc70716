package dev.shoal.webhook.hook.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code events} defaults to {@code ["push"]}, {@code content_type} to {@code json}. */
public record CreateHookRequest(String url, String secret, List<String> events,
                                @JsonProperty("content_type") String contentType,
                                @JsonProperty("is_active") Boolean isActive, Boolean parallel) {
}
