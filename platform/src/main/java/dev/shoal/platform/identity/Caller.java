package dev.shoal.platform.identity;

import dev.shoal.platform.error.ForbiddenException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.UnauthorizedException;
import java.util.Set;

/**
 * Who is calling, as the gateway vouched for it in the internal JWT.
 *
 * @param kind      {@code user}, {@code anonymous}, {@code agent} or {@code storage}
 * @param userId    the user's id, null when anonymous
 * @param role      the caller's role in the organization the route is about: {@code owner},
 *                  {@code member} or {@code none}
 * @param refRules  per-ref write policies of a Code Storage JWT ({@code refs} claim), null when
 *                  the token has none: checked wherever a ref moves
 */
public record Caller(String kind, Long userId, String login, boolean siteAdmin, Set<Scope> scopes,
                     Long orgId, Long repoId, String role, RefRules refRules) {

    public Caller(String kind, Long userId, String login, boolean siteAdmin, Set<Scope> scopes,
                  Long orgId, Long repoId, String role) {
        this(kind, userId, login, siteAdmin, scopes, orgId, repoId, role, null);
    }

    public static final String OWNER = "owner";
    public static final String MEMBER = "member";
    public static final String NONE = "none";

    public boolean isAnonymous() {
        return userId == null;
    }

    public boolean isOwner() {
        return siteAdmin || OWNER.equals(role);
    }

    public boolean isMember() {
        return isOwner() || MEMBER.equals(role);
    }

    public boolean has(Scope scope) {
        return scopes.stream().anyMatch(s -> s.includes(scope));
    }

    public long requireUserId() {
        if (userId == null) {
            throw new UnauthorizedException("authentication required: send Authorization: Bearer <token>");
        }
        return userId;
    }

    /**
     * Defense in depth (ADR 0006): the gateway resolved the route's organization and repository and
     * vouches for their ids in the token; a service that resolved the path itself must land on the
     * same ones. A mismatch means a path that the gateway never authorized (a rewrite, a stale name,
     * a forged forward): answered as not found, so nothing about the other repository leaks. Claims
     * the token lacks are not compared.
     */
    public void requireVouchedFor(long repoOrgId, long resolvedRepoId) {
        if ((repoId != null && repoId != resolvedRepoId) || (orgId != null && orgId != repoOrgId)) {
            throw new NotFoundException("Repository not found");
        }
    }

    /** For rules only the service can decide, such as "the author or an org owner". */
    public void requireSelfOrOwner(long ownerOfResource, String what) {
        if (!isOwner() && (userId == null || userId != ownerOfResource)) {
            throw new ForbiddenException("only the author or an organization owner may " + what);
        }
    }
}
