package dev.shoal.pipeline.secret;

import java.time.Instant;
import java.util.List;

/**
 * Everything stored about a secret except its value (the Woodpecker API shows ids and image limits).
 *
 * @param scope   repo, org or global
 * @param ownerId the repository or organization id; 0 for global secrets
 * @param images  the images whose steps may receive it; empty for any
 */
public record SecretDetails(long id, String scope, long ownerId, String name, List<String> events, List<String> images,
                            Instant createdAt, Instant updatedAt) {

    public Secret summary() {
        return new Secret(name, events, createdAt, updatedAt);
    }
}
