package dev.shoal.repo.compat.pagure.client;

import dev.shoal.platform.client.ServiceClient;
import dev.shoal.platform.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** {@link UserDirectory} over the gateway's {@code GET /internal/users/by-name/{username}}. */
@ApplicationScoped
public class GatewayUserDirectory implements UserDirectory {

    private final ServiceClient client;

    public GatewayUserDirectory(ServiceClient client) {
        this.client = client;
    }

    @Override
    public Uni<Optional<User>> byName(String username) {
        String path = "/internal/users/by-name/" + URLEncoder.encode(username, StandardCharsets.UTF_8).replace("+", "%20");
        return client.request(HttpMethod.GET, "gateway", path).send()
                .onFailure().transform(e -> new ApiException(503, "unavailable", "the gateway did not answer; try again shortly"))
                .map(response -> {
                    if (response.statusCode() == 404) {
                        return Optional.<User>empty();
                    }
                    if (response.statusCode() != 200) {
                        throw new ApiException(502, "upstream_error", "the gateway answered " + response.statusCode());
                    }
                    JsonObject data = response.bodyAsJsonObject().getJsonObject("data");
                    return Optional.of(new User(data.getLong("id"), data.getString("username")));
                });
    }
}
