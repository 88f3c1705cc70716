package dev.shoal.issue.compat.pagure.client;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.Set;

/**
 * Which organizations a user is a member (or owner) of, asked of the gateway, which owns
 * memberships. Needed where a Pagure route names no organization (a user's issues, a pull request
 * by uid) so the gateway could not put the caller's role in the token.
 */
public interface OrgRoles {

    /** The subset of {@code orgs} in which {@code userId} is a member or owner. */
    Uni<Set<String>> memberOf(long userId, Collection<String> orgs);
}
