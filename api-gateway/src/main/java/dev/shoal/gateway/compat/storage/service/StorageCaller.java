package dev.shoal.gateway.compat.storage.service;

import dev.shoal.gateway.access.Decision;
import dev.shoal.gateway.access.Denied;
import dev.shoal.gateway.access.DialectCaller;
import dev.shoal.gateway.compat.storage.StorageClaims;
import dev.shoal.gateway.compat.storage.StorageScopes;
import dev.shoal.gateway.route.Route;
import dev.shoal.gateway.route.RouteMatch;
import dev.shoal.platform.compat.storage.StoragePaths;
import dev.shoal.platform.identity.Caller;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The holder of a verified Code Storage JWT. The token names the repository, so no table lookup is
 * needed; what is checked is that the token covers the route (its scope, and for git paths the
 * repository in the URL). The Code Storage API documents, route by route, 401 or 403 for tokens
 * lacking the route's scope ({@link StorageScopes#missingScopeStatus}).
 */
record StorageCaller(StorageClaims claims) implements DialectCaller {

    @Override
    public String rateKey() {
        return "storage:" + claims.issuer() + ":" + claims.repo();
    }

    @Override
    public Decision decide(RouteMatch match) {
        Route route = match.route();
        String required = StorageScopes.required(route.method(), route.pattern().text());
        if (!claims.has(required)) {
            int status = StorageScopes.missingScopeStatus(route.method(), route.pattern().text());
            throw new Denied(status, "insufficient_scope", "this route needs a Code Storage JWT with the '" + required
                    + "' scope; this one has " + claims.scopes(), status == 401 ? Denied.challenge(route) : null);
        }
        if (StorageClaims.ORG_WIDE.equals(claims.repo()) && !StorageScopes.acceptsOrgWide(route.method(), route.pattern().text())) {
            throw Denied.forbidden("this route acts on one repository: the JWT's 'repo' claim must name it, not 'org'");
        }
        String pathRepo = match.param("id") == null ? null : StoragePaths.decodeId(match.param("id"));
        if (pathRepo != null && !pathRepo.equals(claims.repo())) {
            throw Denied.forbidden("the JWT is for repository '" + claims.repo() + "', not '" + pathRepo + "'");
        }
        // org_id: the issuer's row, negated so it can never be mistaken for a Shoal organization id.
        Caller caller = new Caller("storage", null, claims.issuer(), false, Set.of(), -claims.issuerId(), null, Caller.NONE,
                claims.refs());
        return new Decision(caller, null, Map.of(
                StorageClaims.ISSUER_HEADER, claims.issuer(),
                StorageClaims.REPO_HEADER, claims.repo(),
                StorageClaims.SCOPES_HEADER, String.join(" ", new TreeSet<>(claims.scopes()))));
    }
}
