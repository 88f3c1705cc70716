package dev.shoal.platform.identity;

import dev.shoal.platform.error.ErrorResponses;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Services trust nothing but internal JWTs, checked by {@link InternalTokenVerifier} (issuer's own
 * key, this service as audience, a kind the issuer may mint; ADR 0006): a request without a valid
 * one is 401 in the envelope. The gateway itself turns this off, since it authenticates end users.
 */
public class InternalAuthFilter {

    private final CurrentIdentityAssociation identity;
    private final boolean enabled;

    public InternalAuthFilter(CurrentIdentityAssociation identity,
                              @ConfigProperty(name = "shoal.internal-auth.enabled", defaultValue = "true") boolean enabled) {
        this.identity = identity;
        this.enabled = enabled;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> requireInternalToken() {
        if (!enabled) {
            return Uni.createFrom().nullItem();
        }
        return identity.getDeferredIdentity()
                .map(id -> {
                    if (id.isAnonymous()) {
                        return unauthorized();
                    }
                    // Pin the resolved identity, so that reading the JWT later on the IO thread
                    // (CurrentCaller in a reactive resource) does not try to resolve it again.
                    identity.setIdentity(id);
                    return null;
                })
                .onFailure().recoverWithItem(InternalAuthFilter::unauthorized);
    }

    private static Response unauthorized() {
        return ErrorResponses.of(401, "unauthorized",
                "this service answers only requests forwarded by the Shoal gateway");
    }
}
