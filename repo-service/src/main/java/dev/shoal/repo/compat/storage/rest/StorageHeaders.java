package dev.shoal.repo.compat.storage.rest;

import dev.shoal.platform.identity.Caller;
import dev.shoal.repo.compat.storage.StorageIdentity;
import jakarta.ws.rs.HeaderParam;

/**
 * The three headers the gateway sets on a Code Storage call (the token's issuer, repository and
 * scopes), taken by each resource method as one {@code @BeanParam}.
 */
public class StorageHeaders {

    @HeaderParam(StorageIdentity.ISSUER_HEADER)
    String issuer;

    @HeaderParam(StorageIdentity.REPO_HEADER)
    String repo;

    @HeaderParam(StorageIdentity.SCOPES_HEADER)
    String scopes;

    /** The caller as the gateway vouched for it; 401/403 when the headers and the JWT do not agree. */
    public StorageIdentity identity(Caller caller) {
        return StorageIdentity.of(caller, issuer, repo, scopes);
    }
}
