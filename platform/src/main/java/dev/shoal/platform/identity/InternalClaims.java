package dev.shoal.platform.identity;

/**
 * Claim names of the internal JWT that the gateway mints and every service verifies. One copy,
 * shared by the producer and the consumers.
 */
public final class InternalClaims {

    /**
     * The gateway's name, as issuer and as audience: the one process whose key vouches for users,
     * agents, Code Storage callers and site admins (ADR 0006). Every other process signs as itself
     * ({@code quarkus.application.name}) and can only say "service X".
     */
    public static final String GATEWAY = "api-gateway";
    /** The one service whose key may mint clone credentials (for the gateway only). */
    public static final String CLONE_MINTER = "pipeline-service";
    /** A token a service mints for a call it makes on its own behalf: no user, no rights of one. */
    public static final String KIND_SERVICE = "service";
    /**
     * A clone credential: read access to one repository's git data for the agent running one
     * pipeline. Its own kind, so no service ever takes one for an internal token.
     */
    public static final String KIND_CLONE = "clone";
    public static final String PIPELINE_ID = "pipeline_id";
    public static final String KIND = "kind";
    public static final String USER_ID = "uid";
    public static final String LOGIN = "login";
    public static final String SITE_ADMIN = "site_admin";
    public static final String SCOPES = "scopes";
    public static final String ORG_ID = "org_id";
    public static final String REPO_ID = "repo_id";
    public static final String ROLE = "role";
    /** Code Storage per-ref policies, normalized ({@link RefRules#toClaim()}); absent when none. */
    public static final String REFS = "refs";
    public static final String AGENT_TOKEN_HEADER = "X-Shoal-Agent-Token";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private InternalClaims() {
    }
}
