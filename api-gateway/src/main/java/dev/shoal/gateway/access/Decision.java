package dev.shoal.gateway.access;

import dev.shoal.gateway.storage.StorageClaims;
import dev.shoal.platform.identity.Caller;

/**
 * What the gateway decided for an allowed request: who the caller is, as the internal JWT will say.
 *
 * @param agentToken the agent's own token, passed to pipeline-service on agent routes
 * @param storage    the verified Code Storage claims, passed to repo-service on storage routes
 */
public record Decision(Caller caller, String agentToken, StorageClaims storage) {

    public Decision(Caller caller, String agentToken) {
        this(caller, agentToken, null);
    }
}
