package dev.shoal.gateway.access;

import dev.shoal.gateway.auth.Principal;

/**
 * The outcome of authentication: a user (principal), an agent (agentToken) or anonymous (neither),
 * a caller of a dialect with its own tokens (dialect), a CI clone credential (cloneGrant), and the
 * key its rate limit is counted under: always a verified identity or the client address; null for
 * agents, whose token only pipeline-service can verify.
 */
public record Authenticated(Principal principal, String rateKey, String agentToken, DialectCaller dialect,
                            CloneGrant cloneGrant) {

    public Authenticated(Principal principal, String rateKey, String agentToken) {
        this(principal, rateKey, agentToken, null, null);
    }

    public static Authenticated of(DialectCaller dialect) {
        return new Authenticated(null, dialect.rateKey(), null, dialect, null);
    }
}
