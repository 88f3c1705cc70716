package dev.shoal.webhook.delivery;

import java.util.UUID;

/** A due delivery this process has reserved (until its lease ends), with what it needs to send it. */
public record ClaimedDelivery(long id, UUID deliveryUuid, long hookId, String eventType, byte[] body, int roundAttempts,
                              UUID claimToken, String url, String sealedSecret) {
}
