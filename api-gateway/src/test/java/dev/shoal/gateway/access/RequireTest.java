package dev.shoal.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.platform.error.ApiException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.Scope;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The checks the gateway's own resources make themselves, so that a request routed to them by
 * mistake (with a caller decided for another route) fails closed.
 */
class RequireTest {

    private static final Caller ANONYMOUS = new Caller("anonymous", null, null, false, Set.of(), null, null, Caller.NONE);
    private static final Caller SERVICE = new Caller("service", null, null, true, Set.of(), null, null, Caller.OWNER);
    private static final Caller ADMIN = new Caller("user", 1L, "admin", true, Set.of(Scope.ADMIN), null, null, Caller.OWNER);

    private static Caller user(Long orgId, String role) {
        return new Caller("user", 7L, "someone", false, Set.of(Scope.ADMIN), orgId, null, role);
    }

    private static int status(Runnable check) {
        try {
            check.run();
            return 200;
        } catch (ApiException e) {
            return e.status();
        }
    }

    @Test
    void siteAdministrationNeedsASignedInSiteAdministrator() {
        assertThat(status(() -> Require.siteAdmin(ANONYMOUS))).isEqualTo(401);
        assertThat(status(() -> Require.siteAdmin(null))).isEqualTo(401);
        assertThat(status(() -> Require.siteAdmin(user(null, Caller.OWNER)))).isEqualTo(403);
        // another service's caller has site_admin set, but it is no user: it is not let in here
        assertThat(status(() -> Require.siteAdmin(SERVICE))).isEqualTo(401);
        assertThat(status(() -> Require.siteAdmin(ADMIN))).isEqualTo(200);
    }

    @Test
    void internalResourcesAnswerOnlyServicesAndAreAbsentForEveryoneElse() {
        assertThatThrownBy(() -> Require.service(ADMIN, "GET /internal/users/1")).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).status()).isEqualTo(404);
        assertThat(status(() -> Require.service(ANONYMOUS, "x"))).isEqualTo(404);
        assertThat(status(() -> Require.service(SERVICE, "x"))).isEqualTo(200);
    }

    /** A role the router decided for organization 5 does not open organization 6. */
    @Test
    void membershipMustHaveBeenDecidedForThatVeryOrganization() {
        assertThat(status(() -> Require.inOrg(user(5L, Caller.OWNER), 5L, true, "five"))).isEqualTo(200);
        assertThat(status(() -> Require.inOrg(user(5L, Caller.MEMBER), 5L, false, "five"))).isEqualTo(200);
        assertThat(status(() -> Require.inOrg(user(5L, Caller.MEMBER), 5L, true, "five"))).isEqualTo(403);
        assertThat(status(() -> Require.inOrg(user(5L, Caller.OWNER), 6L, false, "six"))).isEqualTo(403);
        assertThat(status(() -> Require.inOrg(user(null, Caller.NONE), 6L, false, "six"))).isEqualTo(403);
        assertThat(status(() -> Require.inOrg(ANONYMOUS, 6L, false, "six"))).isEqualTo(401);
        assertThat(status(() -> Require.inOrg(ADMIN, 6L, true, "six"))).isEqualTo(200);
    }
}
