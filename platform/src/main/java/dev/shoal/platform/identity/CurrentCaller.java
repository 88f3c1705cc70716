package dev.shoal.platform.identity;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.security.Principal;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of the current request. In services it comes from the verified internal JWT: the
 * security identity's principal, whose {@link Caller} was read once per token
 * ({@link VerifiedPrincipal}); the gateway, which authenticates end users itself, sets it explicitly.
 */
@RequestScoped
public class CurrentCaller {

    private final SecurityIdentity identity;
    private Caller caller;

    public CurrentCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Caller get() {
        if (caller == null) {
            Principal principal = identity.isAnonymous() ? null : identity.getPrincipal();
            caller = CallerClaims.from(principal instanceof JsonWebToken jwt ? jwt : null);
        }
        return caller;
    }

    public void set(Caller caller) {
        this.caller = caller;
    }
}
