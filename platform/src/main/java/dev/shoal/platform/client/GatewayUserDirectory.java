package dev.shoal.platform.client;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** {@link UserDirectory} over the gateway's {@code GET /internal/users/by-name/{username}} and {@code /internal/users/{id}}. */
@ApplicationScoped
public class GatewayUserDirectory implements UserDirectory {

    private final ServiceClient client;

    public GatewayUserDirectory(ServiceClient client) {
        this.client = client;
    }

    @Override
    public Uni<Optional<User>> byName(String username) {
        return client.find("gateway", "/internal/users/by-name/" + ServiceClient.encode(username))
                .map(found -> found.map(GatewayUserDirectory::user));
    }

    @Override
    public Uni<Optional<User>> byId(long id) {
        return client.find("gateway", "/internal/users/" + id).map(found -> found.map(GatewayUserDirectory::user));
    }

    private static User user(JsonObject data) {
        String created = data.getString("created_at");
        return new User(data.getLong("id"), data.getString("username"), data.getString("email"),
                data.getString("display_name"), data.getBoolean("is_admin", false), data.getString("avatar_url"),
                created == null ? null : Instant.parse(created));
    }
}
