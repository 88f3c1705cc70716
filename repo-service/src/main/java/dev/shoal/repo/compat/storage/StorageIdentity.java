package dev.shoal.repo.compat.storage;

import dev.shoal.platform.error.ForbiddenException;
import dev.shoal.platform.error.UnauthorizedException;
import dev.shoal.platform.identity.Caller;
import java.util.Set;

/**
 * The Code Storage caller as the gateway verified it: the internal JWT says kind {@code storage}
 * (login = issuer), and the gateway-set headers carry the token's repository and scopes. The
 * gateway strips these headers from client requests, and only it can mint kind {@code storage}.
 */
public record StorageIdentity(Caller caller, String issuer, String repo, Set<String> scopes) {

    public static final String ISSUER_HEADER = "X-Shoal-Storage-Issuer";
    public static final String REPO_HEADER = "X-Shoal-Storage-Repo";
    public static final String SCOPES_HEADER = "X-Shoal-Storage-Scopes";

    public static StorageIdentity of(Caller caller, String issuer, String repo, String scopes) {
        if (!"storage".equals(caller.kind())) {
            throw new ForbiddenException("Code Storage routes need a Code Storage JWT");
        }
        if (issuer == null || !issuer.equals(caller.login()) || repo == null || repo.isBlank()) {
            throw new UnauthorizedException("the Code Storage identity is incomplete: the request did not come through the gateway");
        }
        return new StorageIdentity(caller, issuer, repo, scopes == null || scopes.isBlank() ? Set.of()
                : Set.of(scopes.trim().split("\\s+")));
    }

    /** The gateway checks scopes per route already; the service checks again for the writes. */
    public void require(String scope) {
        if (!scopes.contains(scope)) {
            throw new UnauthorizedException("this call needs the '" + scope + "' scope");
        }
    }

    /** As {@link #require}, for the routes the Code Storage API answers 403 on (pull-upstream). */
    public void requireOrForbid(String scope) {
        if (!scopes.contains(scope)) {
            throw new ForbiddenException("this call needs the '" + scope + "' scope");
        }
    }
}
