package dev.shoal.webhook.delivery;

import java.time.Instant;
import java.util.Map;

/**
 * What one attempt did. {@code responseCode} is null when no answer came (network error, timeout,
 * blocked address); {@code permanent} failures are not retried.
 */
public record AttemptResult(String url, Map<String, String> requestHeaders, Integer responseCode,
                            Map<String, String> responseHeaders, String responseBody, boolean truncated,
                            String error, boolean permanent, long durationMs, Instant startedAt) {

    /** A permanent failure before any request was made. */
    public static AttemptResult notSent(String url, String error) {
        return new AttemptResult(url, Map.of(), null, null, null, false, error, true, 0, Instant.now());
    }

    public boolean success() {
        return responseCode != null && responseCode >= 200 && responseCode < 300;
    }

    /** A short description for disabled reasons and logs. */
    public String describe() {
        if (responseCode != null) {
            return "HTTP " + responseCode;
        }
        return error == null ? "no response" : error;
    }
}
