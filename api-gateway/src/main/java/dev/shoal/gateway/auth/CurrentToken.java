package dev.shoal.gateway.auth;

import jakarta.enterprise.context.RequestScoped;

/**
 * The user token the current request authenticated with (its expiry and scopes), set by the router;
 * null for anonymous callers and other services. Token issuance reads it so that a minted token never
 * outlives or outranks the one that minted it.
 */
@RequestScoped
public class CurrentToken {

    private Principal principal;

    public Principal get() {
        return principal;
    }

    public void set(Principal principal) {
        this.principal = principal;
    }
}
