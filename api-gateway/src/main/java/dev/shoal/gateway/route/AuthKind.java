package dev.shoal.gateway.route;

/** How a route authenticates its caller. */
public enum AuthKind {
    /** No credentials are read. */
    NONE,
    /** Anonymous callers are allowed; credentials, when sent, must be valid. */
    OPTIONAL,
    /** A personal access token is required. */
    USER,
    /** A CI agent token, verified by pipeline-service. */
    AGENT,
    /** A Code Storage JWT signed by a registered issuer. */
    STORAGE
}
