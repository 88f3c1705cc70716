package dev.shoal.webhook.config;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * With lazy authentication, {@code CurrentCaller.get()} reads the JWT through
 * {@code getIdentity()}, which refuses to block on the event loop where this service's reactive
 * resources run. The identity is resolved (without blocking) before the resource and stored, so
 * the later read finds it. Platform's InternalAuthFilter could do this once for every service.
 */
public class IdentityOnEventLoop {

    private final CurrentIdentityAssociation identity;

    public IdentityOnEventLoop(CurrentIdentityAssociation identity) {
        this.identity = identity;
    }

    @ServerRequestFilter
    public Uni<Void> resolveIdentity() {
        return identity.getDeferredIdentity().invoke(identity::setIdentity).replaceWithVoid()
                .onFailure().recoverWithNull();
    }
}
