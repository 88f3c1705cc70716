package dev.shoal.issue.support;

import dev.shoal.issue.client.UserDirectory;
import dev.shoal.issue.user.UserProfile;
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

    private final Map<String, UserProfile> users = new ConcurrentHashMap<>();

    public void register(UserProfile user) {
        users.put(user.username(), user);
    }

    @Override
    public Uni<Optional<UserProfile>> byName(String username) {
        return Uni.createFrom().item(Optional.ofNullable(users.get(username)));
    }
}
