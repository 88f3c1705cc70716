package dev.shoal.issue.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.issue.user.UserProfile;
import dev.shoal.platform.client.InternalAnswers;
import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** {@link UserDirectory} over the gateway's internal API ({@code /internal/users/by-name/{username}}). */
@ApplicationScoped
public class GatewayUserDirectory implements UserDirectory {

    private final ServiceClient client;
    private final ObjectMapper mapper;

    public GatewayUserDirectory(ServiceClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    @Override
    public Uni<Optional<UserProfile>> byName(String username) {
        String path = "/internal/users/by-name/" + URLEncoder.encode(username, StandardCharsets.UTF_8).replace("+", "%20");
        return InternalAnswers.guard(client.request(HttpMethod.GET, "gateway", path).send(), "the gateway")
                .map(r -> r.statusCode() == 404 ? Optional.<UserProfile>empty()
                        : Optional.of(mapper.convertValue(InternalAnswers.data(r).getMap(), UserProfile.class)));
    }
}
