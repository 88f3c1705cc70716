package dev.shoal.gateway.access;

import dev.shoal.gateway.route.Route;
import io.smallrye.mutiny.Uni;

/**
 * A dialect whose clients present its own tokens instead of Shoal's (Code Storage's JWTs): it
 * verifies them on the routes that take them, and the {@link DialectCaller} it answers decides what
 * they allow. Each such dialect's package provides one as a bean, so {@link AccessPolicy} never
 * names a dialect (issue #22: native code does not depend on compat).
 */
public interface DialectCredentials {

    /** Whether callers of {@code route} authenticate with this dialect's tokens. */
    boolean takes(Route route);

    /**
     * The caller {@code secret} (null when the request sent none) is verified as; fails with a 401
     * {@link Denied} naming the reason, with {@link Denied#challenge(Route)} for the route.
     */
    Uni<DialectCaller> authenticate(Route route, String secret);

    /**
     * The prefix (lower case) of the request headers this dialect's decisions set for its service
     * ({@link Decision#headers()}): a client's own copies of them are never forwarded, on any route.
     */
    String headerPrefix();
}
