package dev.shoal.webhook.delivery.service;

import dev.shoal.webhook.config.WebhookConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with additive jitter: never shorter than the nominal delay, so the span holds. */
public final class Backoff {

    private Backoff() {
    }

    /** Delay before attempt {@code failedAttempts + 1}, after {@code failedAttempts} failures (1-based). */
    public static Duration delay(WebhookConfig.Retry retry, int failedAttempts) {
        double nominal = retry.initialDelay().toMillis() * Math.pow(retry.multiplier(), Math.max(0, failedAttempts - 1));
        double capped = Math.min(nominal, retry.maxDelay().toMillis());
        double jitter = retry.jitter() <= 0 ? 0 : ThreadLocalRandom.current().nextDouble(0, retry.jitter()) * capped;
        return Duration.ofMillis(Math.round(capped + jitter));
    }
}
