package dev.shoal.gateway.access;

import dev.shoal.platform.identity.Caller;

/**
 * What the gateway decided for an allowed request: who the caller is, as the internal JWT will say.
 *
 * @param agentToken the agent's own token, passed to pipeline-service on agent routes
 */
public record Decision(Caller caller, String agentToken) {
}
