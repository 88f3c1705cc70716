package dev.shoal.webhook.hook.service;

import dev.shoal.platform.error.ValidationException;
import dev.shoal.webhook.guard.AddressGuard;
import dev.shoal.webhook.hook.HookEvents;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks hook fields with messages a person can act on. */
final class HookValidator {

    static final int MAX_URL = 2048;
    static final int MAX_SECRET = 256;

    private HookValidator() {
    }

    /** The URL as it will be stored: absolute http(s), no credentials, and not a blocked address literal. */
    static String url(String raw, AddressGuard guard) {
        if (raw == null || raw.isBlank()) {
            throw new ValidationException("url is required: the absolute http(s) URL deliveries are posted to");
        }
        String url = raw.trim();
        if (url.length() > MAX_URL) {
            throw new ValidationException("url must be at most " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ValidationException("url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new ValidationException("url must be an absolute http:// or https:// URL, such as https://example.com/webhook");
        }
        String host = AddressGuard.hostOf(uri);
        if (host == null || host.isEmpty()) {
            throw new ValidationException("url must name a host, such as https://example.com/webhook");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ValidationException("url must not contain credentials (user:password@); use the secret to authenticate deliveries");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new ValidationException("url port must be between 1 and 65535");
        }
        Optional<String> blocked = guard.checkLiteralHost(host);
        if (blocked.isPresent()) {
            throw new ValidationException("url is not allowed: " + blocked.get()
                    + "; webhooks may only target public addresses");
        }
        if (uri.getHost() == null) {
            throw new ValidationException("url host '" + host + "' is not a valid host name");
        }
        return url;
    }

    static String secret(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new ValidationException("secret is required: a shared string the receiver uses to verify X-Shoal-Signature-256");
        }
        if (secret.length() > MAX_SECRET) {
            throw new ValidationException("secret must be at most " + MAX_SECRET + " characters");
        }
        return secret;
    }

    static List<String> events(List<String> events) {
        if (events.isEmpty()) {
            throw new ValidationException("events must name at least one of: " + String.join(", ", HookEvents.ALLOWED));
        }
        List<String> result = new ArrayList<>();
        for (String event : events) {
            if (event == null || !HookEvents.ALLOWED.contains(event)) {
                throw new ValidationException("events contains unknown event " + (event == null ? "null" : "'" + event + "'")
                        + "; allowed values are " + String.join(", ", HookEvents.ALLOWED));
            }
            if (!result.contains(event)) {
                result.add(event);
            }
        }
        return result;
    }

    static String contentType(String contentType) {
        if (contentType != null && !contentType.equals("json")) {
            throw new ValidationException("content_type must be json (deliveries are sent as application/json)");
        }
        return "json";
    }
}
