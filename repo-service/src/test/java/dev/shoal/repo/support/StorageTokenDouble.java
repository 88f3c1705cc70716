package dev.shoal.repo.support;

import dev.shoal.platform.error.ApiException;
import dev.shoal.repo.compat.storage.client.StorageTokenCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's storage-token check, which does not run in repo-service tests (the gateway's own
 * tests cover the verification itself): tokens a test registered verify to their claims, any other
 * is refused with a 401 as the gateway refuses an unsigned or wrongly signed token.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class StorageTokenDouble implements StorageTokenCheck {

    private final Map<String, Verified> tokens = new ConcurrentHashMap<>();

    public void accept(String token, Verified claims) {
        tokens.put(token, claims);
    }

    @Override
    public Uni<Verified> verify(String token) {
        Verified v = tokens.get(token);
        return v == null
                ? Uni.createFrom().failure(new ApiException(401, "unauthorized", "the JWT is not signed by the key registered for its issuer"))
                : Uni.createFrom().item(v);
    }
}
