package dev.shoal.repo.support;

import dev.shoal.platform.client.UserDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's user directory, which does not run in repo-service tests: the users a test
 * registered (by login, matched without case like the gateway does); anyone else does not exist.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class UserDirectoryDouble implements UserDirectory {

    private final Map<String, User> users = new ConcurrentHashMap<>();

    public void user(long id, String login) {
        users.put(login.toLowerCase(Locale.ROOT), new User(id, login));
    }

    @Override
    public Uni<Optional<User>> byName(String username) {
        return Uni.createFrom().item(Optional.ofNullable(users.get(username.toLowerCase(Locale.ROOT))));
    }

    @Override
    public Uni<Optional<User>> byId(long id) {
        return Uni.createFrom().item(users.values().stream().filter(user -> user.id() == id).findFirst());
    }
}
