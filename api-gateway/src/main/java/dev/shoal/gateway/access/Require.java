package dev.shoal.gateway.access;

import dev.shoal.platform.error.ForbiddenException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.UnauthorizedException;
import dev.shoal.platform.identity.Caller;

/**
 * Checks the gateway's own resources make on the caller the router handed them, although the route
 * table already required the same: a routing mistake then fails closed instead of answering whoever
 * reached the resource.
 */
public final class Require {

    private Require() {
    }

    /** A signed-in user (not anonymous, not another service). */
    public static Caller user(Caller caller) {
        if (caller == null || !"user".equals(caller.kind()) || caller.userId() == null) {
            throw new UnauthorizedException("authentication required: send Authorization: Bearer <token>");
        }
        return caller;
    }

    /** A site administrator, signed in with a user token. */
    public static Caller siteAdmin(Caller caller) {
        user(caller);
        if (!caller.siteAdmin()) {
            throw new ForbiddenException("only site administrators may do this");
        }
        return caller;
    }

    /**
     * Another Shoal service (an internal JWT checked by the router); to anyone else {@code /internal/}
     * does not exist.
     */
    public static Caller service(Caller caller, String what) {
        if (caller == null || !"service".equals(caller.kind())) {
            throw new NotFoundException("no such route: " + what);
        }
        return caller;
    }

    /**
     * A member (or owner, with {@code owner}) of organization {@code orgId} as the router decided it for
     * this very organization; site administrators pass.
     */
    public static Caller inOrg(Caller caller, long orgId, boolean owner, String orgName) {
        user(caller);
        if (caller.siteAdmin()) {
            return caller;
        }
        boolean decidedHere = caller.orgId() != null && caller.orgId() == orgId;
        if (!decidedHere || !(owner ? caller.isOwner() : caller.isMember())) {
            throw new ForbiddenException("only " + (owner ? "owners" : "members") + " of organization '" + orgName + "' may do this");
        }
        return caller;
    }
}
