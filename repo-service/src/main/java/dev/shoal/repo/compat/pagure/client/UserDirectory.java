package dev.shoal.repo.compat.pagure.client;

import io.smallrye.mutiny.Uni;
import java.util.Optional;

/**
 * Users by name, from the gateway (which owns them): Pagure names users in bodies (main_admin,
 * modifyacls, blockuser, fork username), and a name that is nobody must be refused, not stored.
 */
public interface UserDirectory {

    /** The user's canonical login and id; empty when no such (active) user exists. */
    Uni<Optional<User>> byName(String username);

    record User(long id, String username) {
    }
}
