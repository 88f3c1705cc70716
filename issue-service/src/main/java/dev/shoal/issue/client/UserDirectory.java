package dev.shoal.issue.client;

import dev.shoal.issue.user.UserProfile;
import io.smallrye.mutiny.Uni;
import java.util.Optional;

/** The gateway's user directory: who a username belongs to right now. */
public interface UserDirectory {

    Uni<Optional<UserProfile>> byName(String username);
}
