package dev.shoal.repo.compat.pagure.client;

import io.smallrye.mutiny.Uni;
import java.util.Optional;

/**
 * The caller's role in an organization named in a request body. The gateway sets the role claim
 * only for routes with {org} in the path, so Pagure's {@code POST /api/0/new} (namespace in the
 * form) asks the gateway, which owns memberships.
 */
public interface OrgMembership {

    /** The organization's id and the user's role in it (owner, member, none); empty when the organization does not exist. */
    Uni<Optional<Membership>> of(String org, long userId);

    record Membership(long orgId, String role) {
    }
}
