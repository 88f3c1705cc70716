package dev.shoal.gateway.auth;

import dev.shoal.platform.identity.Scope;
import java.time.Instant;
import java.util.Set;

/** A user authenticated by one of their tokens. */
public record Principal(long userId, String login, boolean siteAdmin, Set<Scope> scopes, long tokenId,
                        Instant expiresAt) {

    public boolean has(Scope scope) {
        return scopes.stream().anyMatch(s -> s.includes(scope));
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public String strongestScope() {
        return scopes.stream().max(Enum::compareTo).map(Scope::wireName).orElse("none");
    }
}
