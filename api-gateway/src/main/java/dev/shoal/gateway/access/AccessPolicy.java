package dev.shoal.gateway.access;

import dev.shoal.gateway.auth.Credentials;
import dev.shoal.gateway.auth.Principal;
import dev.shoal.gateway.auth.TokenAuthenticator;
import dev.shoal.gateway.directory.RepoDirectory;
import dev.shoal.gateway.directory.RepoEntry;
import dev.shoal.gateway.org.Org;
import dev.shoal.gateway.org.service.OrgDirectory;
import dev.shoal.gateway.route.Access;
import dev.shoal.gateway.route.AuthKind;
import dev.shoal.gateway.route.Route;
import dev.shoal.gateway.route.RouteMatch;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides every request by its route: authentication kind, token scope, then access to the
 * organization or repository. A private repository the caller may not read is answered exactly as
 * one that does not exist. Dialects take part through beans, never by name: {@link RepoGrants} raise
 * or block a user on one repository, {@link DialectCredentials} verify a dialect's own tokens and decide
 * what they allow.
 */
@ApplicationScoped
public class AccessPolicy {

    private final TokenAuthenticator tokens;
    private final OrgDirectory orgs;
    private final RepoDirectory repos;
    private final CloneCredentials cloneCredentials;
    private final List<RepoGrants> repoGrants;
    private final List<DialectCredentials> dialectCredentials;

    public AccessPolicy(TokenAuthenticator tokens, OrgDirectory orgs, RepoDirectory repos, CloneCredentials cloneCredentials,
                        @Any Instance<RepoGrants> repoGrants, @Any Instance<DialectCredentials> dialectCredentials) {
        this.tokens = tokens;
        this.orgs = orgs;
        this.repos = repos;
        this.cloneCredentials = cloneCredentials;
        this.repoGrants = repoGrants.stream().toList();
        this.dialectCredentials = dialectCredentials.stream().toList();
    }

    /**
     * Who is calling, before anything else is looked at, so that the rate limit counts refused
     * requests too.
     */
    public Uni<Authenticated> authenticate(Route route, String authorization, String clientIp) {
        String secret = route.auth() == AuthKind.NONE ? null : Credentials.from(authorization);
        if (route.auth() == AuthKind.AGENT) {
            if (secret == null || secret.isEmpty()) {
                return Uni.createFrom().failure(Denied.unauthorized(route,
                        "this route needs a CI agent token: Authorization: Bearer <agent token>"));
            }
            // Not a rate-limit key: pipeline-service verifies agent tokens, and keyed by an unverified secret
            // every invented one would get a fresh bucket. The router counts the refusals against the address.
            return Uni.createFrom().item(new Authenticated(null, null, secret));
        }
        for (DialectCredentials dialect : dialectCredentials) {
            if (dialect.takes(route)) {
                return dialect.authenticate(route, secret).map(Authenticated::of);
            }
        }
        if (route.auth() == AuthKind.STORAGE) {
            // fail closed: a Shoal token never stands in for the dialect's own
            return Uni.createFrom().failure(Denied.unauthorized(route, "no dialect verifies the credentials of this route"));
        }
        if (route.isGit() && route.scope() == Scope.READ && CloneCredentials.looksLikeOne(secret)) {
            return Uni.createFrom().item(() -> cloneCredentials.verify(secret)
                    .map(grant -> new Authenticated(null, "clone:" + grant.pipelineId(), null, null, grant))
                    .orElseThrow(() -> Denied.unauthorized(route, "the clone credential is not valid or has expired")));
        }
        if (secret == null) {
            if (route.auth() == AuthKind.USER) {
                return Uni.createFrom().failure(Denied.unauthorized(route, "authentication required: send Authorization: Bearer <token>"));
            }
            return Uni.createFrom().item(new Authenticated(null, "ip:" + clientIp, null));
        }
        // A credential that was presented and fails is refused on every route, optional ones included:
        // falling back to anonymous would hide from the client why its private data vanished.
        return tokens.authenticate(secret).map(result -> {
            if (result.principal() == null) {
                throw Denied.unauthorized(route, refusalMessage(result));
            }
            return new Authenticated(result.principal(), "token:" + result.principal().tokenId(), null);
        });
    }

    /**
     * One message per reason. Only the holder of the token learns it (an unknown token and a revoked
     * one read the same), so nothing is revealed to someone guessing tokens.
     */
    private static String refusalMessage(TokenAuthenticator.Result result) {
        return switch (result.refusal()) {
            case MALFORMED -> "the credential is not a Shoal token (shoal_pat_ followed by 40 letters and digits): "
                    + "send Authorization: Bearer <token>, or the token as the password for git";
            case UNKNOWN -> "the token is not valid: it is mistyped or has been revoked; create a new token";
            case EXPIRED -> "the token expired at " + result.expiredAt() + "; create a new token";
            case USER_DEACTIVATED -> "the token's user account is deactivated; a site administrator can reactivate it";
        };
    }

    /** What the authenticated caller may do on this route: scope, then organization or repository access. */
    public Uni<Decision> authorize(RouteMatch match, Authenticated who) {
        Route route = match.route();
        if (who.agentToken() != null) {
            Caller agent = new Caller("agent", null, null, false, Set.of(), null, null, Caller.NONE);
            return Uni.createFrom().item(new Decision(agent, who.agentToken()));
        }
        if (who.dialect() != null) {
            return Uni.createFrom().item(() -> who.dialect().decide(match));
        }
        if (who.cloneGrant() != null) {
            return cloneDecision(match, who.cloneGrant());
        }
        Principal p = who.principal();
        if (p != null && route.scope() != null && !p.has(route.scope())) {
            return Uni.createFrom().failure(new Denied(403, "insufficient_scope", "this route needs a token with the '"
                    + route.scope().wireName() + "' scope; this token's strongest scope is '" + p.strongestScope() + "'", null));
        }
        return authorize(match, p);
    }

    /**
     * A clone credential reads the git data of the one repository it names, private or not, and
     * nothing else (it is only accepted on read-only git routes in the first place).
     */
    private Uni<Decision> cloneDecision(RouteMatch match, CloneGrant grant) {
        String orgName = match.param("org");
        String repoName = match.param("repo");
        if (orgName == null || repoName == null) {
            return Uni.createFrom().failure(Denied.notFound("repository not found"));
        }
        return repos.find(orgName, repoName).map(found -> {
            if (found.isEmpty() || found.get().id() != grant.repoId()) {
                throw Denied.notFound("repository not found");
            }
            Caller caller = new Caller("agent", null, "pipeline-" + grant.pipelineId(), false, Set.of(Scope.READ),
                    found.get().orgId(), found.get().id(), Caller.MEMBER);
            return new Decision(caller, null);
        });
    }

    private Uni<Decision> authorize(RouteMatch match, Principal principal) {
        Route route = match.route();
        Access access = route.access();
        if (access == Access.SITE_ADMIN) {
            if (principal == null || !principal.siteAdmin()) {
                return Uni.createFrom().failure(Denied.forbidden("only site administrators may do this"));
            }
            return siteAdminDecision(match, principal);
        }
        if (access != Access.ANY && match.param("repo_id") != null) {
            return repos.findById(Long.parseLong(match.param("repo_id"))).chain(repo -> {
                if (repo.isEmpty()) {
                    return Uni.createFrom().failure(hidden(route, principal, "repository"));
                }
                return orgs.orgById(repo.get().orgId()).chain(org -> org.isEmpty()
                        ? Uni.createFrom().failure(hidden(route, principal, "repository"))
                        : role(org.get(), principal).chain(role -> grant(repo, principal, role)
                                .map(grant -> repoDecision(route, org.get(), repo, principal, role, grant))));
            });
        }
        if (access != Access.ANY && match.param("org_id") != null) {
            return orgs.orgById(Long.parseLong(match.param("org_id"))).chain(org -> org.isEmpty()
                    ? Uni.createFrom().failure(Denied.notFound("organization " + match.param("org_id") + " not found"))
                    : role(org.get(), principal).map(role -> orgDecision(route, org.get(), principal, role)));
        }
        String orgName = match.param("org");
        if (orgName == null || access == Access.ANY) {
            return Uni.createFrom().item(new Decision(caller(principal, null, null, Caller.NONE), null));
        }
        String repoName = match.param("repo");
        return orgs.org(orgName).chain(org -> {
            if (org.isEmpty()) {
                return Uni.createFrom().failure(repoName != null ? hidden(route, principal, "repository") 
                        : Denied.notFound("organization '" + orgName + "' not found"));
            }
            return role(org.get(), principal).chain(role -> repoName == null
                    ? Uni.createFrom().item(orgDecision(route, org.get(), principal, role))
                    // by id, never by name alone: the repository must belong to this very organization
                    : repos.find(orgName, repoName).map(repo -> repo.filter(r -> r.orgId() == org.get().id()))
                            .chain(repo -> grant(repo, principal, role)
                            .map(grant -> repoDecision(route, org.get(), repo, principal, role, grant))));
        });
    }

    /**
     * Whether {@code viewer} may read {@code repo}, by the same rule as public-read routes (public, or
     * the organization's member or owner, a site admin, or a repository grant of any level): for the
     * lists and histories the gateway answers itself, which name repositories without routing to them.
     */
    public Uni<Boolean> mayRead(Caller viewer, RepoEntry repo) {
        if (!repo.isPrivate() || viewer.siteAdmin()) {
            return Uni.createFrom().item(true);
        }
        if (viewer.userId() == null || !"user".equals(viewer.kind())) {
            return Uni.createFrom().item(false);
        }
        return orgs.role(repo.orgId(), viewer.userId()).chain(role -> !Caller.NONE.equals(role) ? Uni.createFrom().item(true)
                : grant(repo.id(), viewer.login(), viewer.userId()).map(grant -> grant.level() != null));
    }

    private Decision orgDecision(Route route, Org org, Principal principal, String role) {
        requireRole(route.access(), principal, role, "organization '" + org.name() + "'");
        return new Decision(caller(principal, org.id(), null, role), null);
    }

    /**
     * Access granted on the repository itself ({@link RepoGrants}: Pagure's ACLs, main admin, fork owner) and blocks; none
     * for anonymous callers, and not looked up for organization owners, whom no grant can raise or block.
     */
    private Uni<RepoGrant> grant(Optional<RepoEntry> repo, Principal principal, String orgRole) {
        if (repo.isEmpty() || principal == null || principal.siteAdmin() || Caller.OWNER.equals(orgRole)) {
            return Uni.createFrom().item(RepoGrant.NONE);
        }
        return grant(repo.get().id(), principal.login(), principal.userId());
    }

    /** Every {@link RepoGrants} bean's grant at once; none without a bean. */
    private Uni<RepoGrant> grant(long repoId, String login, long userId) {
        if (repoGrants.isEmpty()) {
            return Uni.createFrom().item(RepoGrant.NONE);
        }
        return Uni.join().all(repoGrants.stream().map(grants -> grants.grant(repoId, login, userId)).toList()).andFailFast()
                .map(all -> all.stream().reduce(RepoGrant.NONE, RepoGrant::and));
    }

    /**
     * The organization role, raised by a repository grant: admin acts as the owner role, write as
     * the member role; read makes a private repository readable without raising the role. A blocked
     * user keeps read access but no route needing more than the read scope, unless they own the org.
     */
    private Decision repoDecision(Route route, Org org, Optional<RepoEntry> found, Principal principal, String orgRole,
                                  RepoGrant grant) {
        String role = orgRole;
        if (grant.atLeast(RepoGrant.Level.ADMIN)) {
            role = Caller.OWNER;
        } else if (grant.atLeast(RepoGrant.Level.WRITE) && Caller.NONE.equals(role)) {
            role = Caller.MEMBER;
        }
        boolean member = Caller.OWNER.equals(role) || Caller.MEMBER.equals(role);
        if (found.isEmpty() || found.get().isPrivate() && !member && grant.level() == null) {
            throw hidden(route, principal, "repository");
        }
        if (grant.blocked() && !Caller.OWNER.equals(orgRole) && route.scope() != null && route.scope() != Scope.READ) {
            throw Denied.forbidden("you are blocked from " + org.name() + "/" + found.get().name() + " by its admins");
        }
        requireRole(route.access(), principal, role, "organization '" + org.name() + "'");
        return new Decision(caller(principal, org.id(), found.get().id(), role), null);
    }

    private static void requireRole(Access access, Principal principal, String role, String what) {
        boolean owner = Caller.OWNER.equals(role);
        boolean member = owner || Caller.MEMBER.equals(role);
        if (access == Access.MEMBER && !member) {
            throw Denied.forbidden("only members of " + what + " may do this");
        }
        if (access == Access.OWNER && !owner) {
            throw Denied.forbidden("only owners of " + what + " may do this");
        }
    }

    private Uni<String> role(Org org, Principal principal) {
        if (principal == null) {
            return Uni.createFrom().item(Caller.NONE);
        }
        if (principal.siteAdmin()) {
            return Uni.createFrom().item(Caller.OWNER);
        }
        return orgs.role(org.id(), principal.userId());
    }

    /**
     * Not found, for callers who may not learn whether it exists. Git clients get a Basic challenge
     * instead when anonymous, so they prompt for credentials (for existing and missing repositories
     * alike, which keeps existence secret).
     */
    private static Denied hidden(Route route, Principal principal, String what) {
        if (principal == null && route.isGit()) {
            return Denied.unauthorized(route, "authentication required: use a token as the password");
        }
        return Denied.notFound(what + " not found");
    }

    /**
     * A site administrator's route: no membership check, but a numeric id in the path is resolved as on
     * every other route (404 when it names nothing), so the service finds it among the caller's claims.
     */
    private Uni<Decision> siteAdminDecision(RouteMatch match, Principal principal) {
        if (match.param("repo_id") != null) {
            return repos.findById(Long.parseLong(match.param("repo_id"))).map(repo -> repo
                    .map(r -> new Decision(caller(principal, r.orgId(), r.id(), Caller.OWNER), null))
                    .orElseThrow(() -> Denied.notFound("repository " + match.param("repo_id") + " not found")));
        }
        if (match.param("org_id") != null) {
            return orgs.orgById(Long.parseLong(match.param("org_id"))).map(org -> org
                    .map(o -> new Decision(caller(principal, o.id(), null, Caller.OWNER), null))
                    .orElseThrow(() -> Denied.notFound("organization " + match.param("org_id") + " not found")));
        }
        return Uni.createFrom().item(new Decision(caller(principal, null, null, Caller.OWNER), null));
    }

    private static Caller caller(Principal principal, Long orgId, Long repoId, String role) {
        if (principal == null) {
            return new Caller("anonymous", null, null, false, Set.of(), orgId, repoId, Caller.NONE);
        }
        return new Caller("user", principal.userId(), principal.login(), principal.siteAdmin(),
                principal.scopes(), orgId, repoId, role);
    }
}
