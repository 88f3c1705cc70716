package dev.shoal.issue.support;

import dev.shoal.issue.user.UserProfile;
import dev.shoal.platform.client.UserDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The gateway's user directory, which does not run in these tests: the users a test registered. */
@Alternative
@Priority(1)
@ApplicationScoped
public class DirectoryDouble implements UserDirectory {

    private final Map<String, User> users = new ConcurrentHashMap<>();

    public void register(UserProfile user) {
        users.put(user.username(), new User(user.id(), user.username(), user.email(), user.displayName(),
                Boolean.TRUE.equals(user.isAdmin()), user.avatarUrl(), user.createdAt()));
    }

    @Override
    public Uni<Optional<User>> byName(String username) {
        return Uni.createFrom().item(Optional.ofNullable(users.get(username)));
    }

    @Override
    public Uni<Optional<User>> byId(long id) {
        return Uni.createFrom().item(users.values().stream().filter(user -> user.id() == id).findFirst());
    }
}
