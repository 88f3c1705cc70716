package dev.shoal.platform.identity;

import dev.shoal.platform.error.ErrorResponses;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Services trust nothing but internal JWTs, checked by {@link InternalTokenVerifier} (issuer's own
 * key, this service as audience, a kind the issuer may mint; ADR 0006): a request without a valid
 * one is 401 in the envelope. The gateway itself turns this off, since it authenticates end users.
 *
 * <p>The token is verified here, synchronously (a cache hit after the token's first request), and
 * the request's security identity is set from its {@link VerifiedPrincipal}: the same identity the
 * Quarkus bearer mechanism would build through {@link VerifyingPrincipalFactory}, without its
 * chain of asynchronous steps per request (a tenth of a service's CPU under load).
 */
public class InternalAuthFilter {

    private static final Logger LOG = Logger.getLogger(InternalAuthFilter.class);
    private static final String BEARER = "Bearer ";

    private final CurrentIdentityAssociation identity;
    private final InternalTokenVerifier verifier;
    private final boolean enabled;

    public InternalAuthFilter(CurrentIdentityAssociation identity, InternalTokenVerifier verifier,
                              @ConfigProperty(name = "shoal.internal-auth.enabled", defaultValue = "true") boolean enabled) {
        this.identity = identity;
        this.verifier = verifier;
        this.enabled = enabled;
    }

    @ServerRequestFilter(preMatching = true)
    public Response requireInternalToken(HttpServerRequest request) {
        if (!enabled) {
            return null;
        }
        // the Vert.x request, not JAX-RS's headers view: that one copies every header into a sorted map
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return unauthorized();
        }
        String token = authorization.substring(BEARER.length()).trim();
        VerifiedPrincipal principal;
        try {
            principal = verifier.verify(token).principal();
        } catch (InternalTokenVerifier.Refused e) {
            LOG.debugf("refused an internal token: %s", e.getMessage());
            return unauthorized();
        }
        // Set on this request, so that reading the caller later, on the IO thread too (CurrentCaller
        // in a reactive resource), never starts an authentication of its own.
        identity.setIdentity(QuarkusSecurityIdentity.builder()
                .setPrincipal(principal)
                .addCredential(new TokenCredential(token, "bearer"))
                .addRoles(principal.getGroups())
                .build());
        return null;
    }

    private static Response unauthorized() {
        return ErrorResponses.of(401, "unauthorized",
                "this service answers only requests forwarded by the Shoal gateway");
    }
}
