package dev.shoal.gateway.compat.storage.service;

import dev.shoal.gateway.access.DialectCaller;
import dev.shoal.gateway.access.DialectCredentials;
import dev.shoal.gateway.access.Denied;
import dev.shoal.gateway.compat.storage.StorageClaims;
import dev.shoal.gateway.route.AuthKind;
import dev.shoal.gateway.route.Route;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/** Code Storage's JWTs at the front door: the routes of auth kind {@code storage} take them, and nothing else does. */
@ApplicationScoped
public class StorageCredentials implements DialectCredentials {

    private final StorageTokenVerifier verifier;

    public StorageCredentials(StorageTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean takes(Route route) {
        return route.auth() == AuthKind.STORAGE;
    }

    @Override
    public Uni<DialectCaller> authenticate(Route route, String secret) {
        return verifier.verify(secret, Denied.challenge(route)).map(StorageCaller::new);
    }

    @Override
    public String headerPrefix() {
        return StorageClaims.HEADER_PREFIX.toLowerCase(Locale.ROOT);
    }
}
