package dev.shoal.platform.identity;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import org.jboss.logging.Logger;

/**
 * Every internal JWT this process reads, through the Quarkus bearer mechanism ({@code JsonWebToken},
 * {@link CurrentCaller}) or {@code JWTParser}, is checked by {@link InternalTokenVerifier}: the
 * issuer's own key, this process as audience, a kind the issuer may mint, and once per token (the
 * principal too is built once per token and shared, see {@link VerifiedPrincipal}). The
 * MicroProfile single-key settings ({@code mp.jwt.verify.*}) no longer decide anything.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifyingPrincipalFactory extends JWTCallerPrincipalFactory {

    private static final Logger LOG = Logger.getLogger(VerifyingPrincipalFactory.class);

    private final InternalTokenVerifier verifier;

    public VerifyingPrincipalFactory(InternalTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo ignored) throws ParseException {
        try {
            return verifier.verify(token).principal();
        } catch (InternalTokenVerifier.Refused e) {
            LOG.debugf("refused an internal token: %s", e.getMessage());
            throw new ParseException(e.getMessage());
        }
    }
}
