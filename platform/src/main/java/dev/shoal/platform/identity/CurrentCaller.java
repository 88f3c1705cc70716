package dev.shoal.platform.identity;

import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of the current request. In services it comes from the verified internal JWT; the
 * gateway, which authenticates end users itself, sets it explicitly.
 */
@RequestScoped
public class CurrentCaller {

    private final JsonWebToken jwt;
    private Caller caller;

    public CurrentCaller(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    public Caller get() {
        if (caller == null) {
            caller = CallerClaims.from(jwt);
        }
        return caller;
    }

    public void set(Caller caller) {
        this.caller = caller;
    }
}
