package dev.shoal.platform.identity;

import dev.shoal.platform.error.ErrorResponses;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Services trust nothing but internal JWTs ({@link InternalTokenVerifier}): a request without a
 * valid one is 401 in the envelope. {@code /internal/} endpoints answer service tokens only (the
 * gateway never forwards a user there); elsewhere a service token is no user and holds no rights.
 * The gateway itself turns this off, since it authenticates end users.
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
    public Uni<Response> requireInternalToken(ContainerRequestContext request) {
        if (!enabled) {
            return Uni.createFrom().nullItem();
        }
        boolean internalPath = request.getUriInfo().getPath().startsWith("/internal/");
        return identity.getDeferredIdentity()
                .map(id -> {
                    if (id.isAnonymous()) {
                        return unauthorized();
                    }
                    if (internalPath && !(id.getPrincipal() instanceof JsonWebToken jwt
                            && InternalClaims.KIND_SERVICE.equals(CallerClaims.from(jwt).kind()))) {
                        return ErrorResponses.of(401, "unauthorized", "internal endpoints answer other Shoal services only");
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
