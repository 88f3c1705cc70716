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

/** {@link OrgMembership} over the gateway's internal API {@code GET /internal/orgs/{org}/members/{userId}}. */
@ApplicationScoped
public class GatewayOrgMembership implements OrgMembership {

    private final ServiceClient client;

    public GatewayOrgMembership(ServiceClient client) {
        this.client = client;
    }

    @Override
    public Uni<Optional<Membership>> of(String org, long userId) {
        String path = "/internal/orgs/" + URLEncoder.encode(org, StandardCharsets.UTF_8).replace("+", "%20") + "/members/" + userId;
        return client.request(HttpMethod.GET, "gateway", path).send()
                .onFailure().transform(e -> new ApiException(503, "unavailable", "the gateway did not answer; try again shortly"))
                .map(response -> {
                    if (response.statusCode() == 404) {
                        return Optional.<Membership>empty();
                    }
                    if (response.statusCode() != 200) {
                        throw new ApiException(502, "upstream_error", "the gateway answered " + response.statusCode());
                    }
                    JsonObject data = response.bodyAsJsonObject().getJsonObject("data");
                    return Optional.of(new Membership(data.getLong("org_id"), data.getString("role")));
                });
    }
}
