package dev.shoal.gateway.access;

import dev.shoal.gateway.route.RouteMatch;

/** A caller a {@link DialectCredentials} verified: how it is rate limited, and what it may do, by its dialect's rules. */
public interface DialectCaller {

    /** The verified identity its requests are counted under by the rate limit. */
    String rateKey();

    /** The decision for {@code match}, the caller as the internal JWT will say; throws {@link Denied} when it may not. */
    Decision decide(RouteMatch match);
}
