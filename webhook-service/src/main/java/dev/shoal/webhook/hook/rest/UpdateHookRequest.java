package dev.shoal.webhook.hook.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Every field optional; an absent (or null) field keeps its value. */
public record UpdateHookRequest(String url, String secret, List<String> events,
                                @JsonProperty("content_type") String contentType,
                                @JsonProperty("is_active") Boolean isActive, Boolean parallel) {
}
