package dev.shoal.repo.compat.storage.client;

import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * Verifies a Code Storage JWT that arrives inside a request body (a fork's {@code base_repo.auth.token}).
 * The issuers' verification keys live in the gateway, so the gateway answers.
 */
public interface StorageTokenCheck {

    /**
     * The verified claims; fails with an {@link dev.shoal.platform.error.ApiException} of status 401
     * naming why the token is refused (unsigned, wrongly signed, expired, unknown issuer, …).
     */
    Uni<Verified> verify(String token);

    /** What a verified token grants. */
    record Verified(String issuer, String repo, Set<String> scopes) {
    }
}
