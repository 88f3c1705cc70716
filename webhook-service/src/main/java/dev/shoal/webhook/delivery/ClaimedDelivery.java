package dev.shoal.webhook.delivery;

import java.util.UUID;

/**
 * A due delivery this process has reserved (until its lease ends), with what it needs to send it.
 * {@code claimedAtNanos} is this process's clock read just before the claim was sent, so the lease
 * left is never overestimated; {@code parallel} is the hook's setting when it was claimed.
 */
public record ClaimedDelivery(long id, UUID deliveryUuid, long hookId, String eventType, byte[] body, int roundAttempts,
                              UUID claimToken, String url, String sealedSecret, boolean parallel, long claimedAtNanos) {
}
