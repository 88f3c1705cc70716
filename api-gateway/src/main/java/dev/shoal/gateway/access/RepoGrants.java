package dev.shoal.gateway.access;

import io.smallrye.mutiny.Uni;

/**
 * Where repository grants come from: a dialect with per-repository ACLs provides one as a bean
 * ({@code compat.pagure.service.ProjectAccess}), so {@link AccessPolicy} never names a dialect
 * (issue #22: native code does not depend on compat). With none, nobody holds a grant.
 */
public interface RepoGrants {

    /** What user {@code userId} ({@code login}) is granted on repository {@code repoId}; {@link RepoGrant#NONE} for nothing. */
    Uni<RepoGrant> grant(long repoId, String login, long userId);
}
