package dev.shoal.pipeline.support;

import dev.shoal.platform.client.UserDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The gateway's user directory, which does not run in pipeline-service tests: the users a test registered. */
@Alternative
@Priority(1)
@ApplicationScoped
public class UserDirectoryDouble implements UserDirectory {

    private final Map<Long, User> users = new ConcurrentHashMap<>();

    public void register(User user) {
        users.put(user.id(), user);
    }

    @Override
    public Uni<Optional<User>> byName(String username) {
        return Uni.createFrom().item(users.values().stream().filter(user -> user.username().equalsIgnoreCase(username)).findFirst());
    }

    @Override
    public Uni<Optional<User>> byId(long id) {
        return Uni.createFrom().item(Optional.ofNullable(users.get(id)));
    }
}
