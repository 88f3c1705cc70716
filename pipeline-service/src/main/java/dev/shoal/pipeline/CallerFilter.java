package dev.shoal.pipeline;

import dev.shoal.platform.identity.CallerClaims;
import dev.shoal.platform.identity.CurrentCaller;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Resolves the caller before a resource runs. Authentication is lazy and resources run on the IO
 * thread, where reading the injected token would block; resolving the deferred identity here,
 * without blocking, lets {@link CurrentCaller#get()} answer from what was set.
 */
public class CallerFilter {

    private final CurrentIdentityAssociation identity;
    private final CurrentCaller caller;

    public CallerFilter(CurrentIdentityAssociation identity, CurrentCaller caller) {
        this.identity = identity;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Uni<Void> resolveCaller() {
        return identity.getDeferredIdentity()
                .invoke(id -> caller.set(CallerClaims.from(id.getPrincipal() instanceof JsonWebToken jwt ? jwt : null)))
                .replaceWithVoid();
    }
}
