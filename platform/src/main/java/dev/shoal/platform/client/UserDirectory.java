package dev.shoal.platform.client;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Optional;

/**
 * Who a user is, as the gateway (which owns users) says: by login or by id. Empty when no such
 * active user exists. {@link GatewayUserDirectory} asks the gateway; tests put a double in its place.
 */
public interface UserDirectory {

    Uni<Optional<User>> byName(String username);

    Uni<Optional<User>> byId(long id);

    /** A user as the gateway's {@code /internal/users/...} answers it. */
    record User(long id, String username, String email, String displayName, boolean isAdmin, String avatarUrl,
                Instant createdAt) {

        /** Only the id and login, e.g. what the caller's token already vouches for. */
        public User(long id, String username) {
            this(id, username, null, null, false, null, null);
        }

        /** The full name when the user gave one, else the login (Pagure's {@code fullname}). */
        public String fullName() {
            return displayName == null || displayName.isBlank() ? username : displayName;
        }
    }
}
