package dev.shoal.gateway.archfixture.access;

import dev.shoal.gateway.compat.pagure.service.ProjectAccess;
import dev.shoal.gateway.compat.storage.StorageClaims;

/**
 * Test fixture for {@code ArchitectureTest}: native access code deciding by Pagure's ACLs and Code
 * Storage's claims itself, as {@code AccessPolicy} did before issue #22's SPI. Never a bean.
 */
public class PeekingPolicy {

    private final ProjectAccess pagure;

    public PeekingPolicy(ProjectAccess pagure) {
        this.pagure = pagure;
    }

    public boolean mayRead(long repoId, String login, long userId) {
        return pagure.grant(repoId, login, userId).await().indefinitely().level() != null;
    }

    public boolean covers(StorageClaims claims, String repo) {
        return repo.equals(claims.repo());
    }
}
