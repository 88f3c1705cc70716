package dev.shoal.platform.identity;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwt.JwtClaims;

/**
 * The principal of an internal JWT that {@link InternalTokenVerifier} accepted, with the
 * {@link Caller} it vouches for read once, at construction. The verifier keeps one per token and
 * hands the same instance to every request presenting that token, so nothing here changes after
 * construction (the wrapped claims are never written again). Reading a custom claim from a
 * {@link DefaultJWTCallerPrincipal} throws and catches an exception inside smallrye-jwt, so hot
 * paths read {@link #caller()}, not the claims.
 */
public final class VerifiedPrincipal extends DefaultJWTCallerPrincipal {

    private final Caller caller;

    /** Takes ownership of {@code claims}: they are changed here and must not be touched afterwards. */
    VerifiedPrincipal(String token, JwtClaims claims) {
        super(token, "JWT", withRawToken(claims, token));
        this.caller = CallerClaims.read(this);
    }

    private static JwtClaims withRawToken(JwtClaims claims, String token) {
        claims.setClaim(Claims.raw_token.name(), token);
        return claims;
    }

    public Caller caller() {
        return caller;
    }
}
