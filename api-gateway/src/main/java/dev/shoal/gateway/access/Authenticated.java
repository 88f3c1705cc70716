package dev.shoal.gateway.access;

import dev.shoal.gateway.auth.Principal;
import dev.shoal.gateway.storage.StorageClaims;

/**
 * The outcome of authentication: a user (principal), an agent (agentToken) or anonymous (neither),
 * a Code Storage token (storage), a CI clone credential (cloneGrant), and the key its rate limit is
 * counted under: always a verified identity or the client address; null for agents, whose token only
 * pipeline-service can verify.
 */
public record Authenticated(Principal principal, String rateKey, String agentToken, StorageClaims storage,
                            CloneGrant cloneGrant) {

    public Authenticated(Principal principal, String rateKey, String agentToken) {
        this(principal, rateKey, agentToken, null, null);
    }

    public Authenticated(Principal principal, String rateKey, String agentToken, StorageClaims storage) {
        this(principal, rateKey, agentToken, storage, null);
    }
}
