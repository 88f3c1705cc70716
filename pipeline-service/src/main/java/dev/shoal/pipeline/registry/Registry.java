package dev.shoal.pipeline.registry;

import java.time.Instant;

/**
 * Credentials for a container registry, of a repository, an organization or the server. The
 * password is stored sealed and never shown.
 *
 * @param scope   repo, org or global
 * @param ownerId the repository or organization id; 0 for global registries
 */
public record Registry(long id, String scope, long ownerId, String address, String username, Instant createdAt,
                       Instant updatedAt) {
}
