package dev.shoal.gateway.compat.storage;

import dev.shoal.platform.identity.RefRules;
import java.util.Set;

/**
 * What a verified Code Storage JWT grants: the issuer (a registered {@code storage_issuers} row),
 * the repository id it names ({@code org} for organization-wide tokens), its scopes, and its per-ref
 * policies ({@code refs}, plus the legacy {@code ops}; null when it has none).
 */
public record StorageClaims(long issuerId, String issuer, String repo, Set<String> scopes, RefRules refs) {

    public StorageClaims(long issuerId, String issuer, String repo, Set<String> scopes) {
        this(issuerId, issuer, repo, scopes, null);
    }

    public static final String ORG_WIDE = "org";

    /** Headers the gateway sets on forwarded storage requests after verification (stripped from clients). */
    public static final String HEADER_PREFIX = "X-Shoal-Storage-";
    public static final String ISSUER_HEADER = HEADER_PREFIX + "Issuer";
    public static final String REPO_HEADER = HEADER_PREFIX + "Repo";
    public static final String SCOPES_HEADER = HEADER_PREFIX + "Scopes";

    public boolean has(String scope) {
        return scopes.contains(scope);
    }
}
