package dev.shoal.issue.user.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.issue.user.repository.UserRepository;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.event.schema.UserChanged;
import dev.shoal.platform.messaging.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Keeps the profiles shown as authors and assignees in step with the gateway's users. */
@ApplicationScoped
public class UserEventHandler implements EventHandler {

    private final UserRepository users;
    private final ObjectMapper mapper;

    public UserEventHandler(UserRepository users, ObjectMapper mapper) {
        this.users = users;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "issue-service.users";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.IDENTITY);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        if (!event.is(EventTypes.USER_CREATED) && !event.is(EventTypes.USER_UPDATED)
                && !event.is(EventTypes.USER_DEACTIVATED)) {
            return Uni.createFrom().voidItem();
        }
        UserChanged user = EventTypes.USER_UPDATED.read(mapper, event);
        UserProfile profile = new UserProfile(user.id(), user.username(), user.email(), user.displayName(),
                user.isAdmin(), user.avatarUrl(), user.createdAt());
        return users.upsert(tx, profile, user.active() && !event.is(EventTypes.USER_DEACTIVATED));
    }
}
