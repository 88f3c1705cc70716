package dev.shoal.gateway.access;

import dev.shoal.gateway.auth.Principal;

/**
 * The outcome of authentication: a user (principal), an agent (agentToken) or anonymous (neither),
 * and the key its rate limit is counted under.
 */
public record Authenticated(Principal principal, String rateKey, String agentToken) {
}
