package dev.shoal.issue.compat.pagure.client;

import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;

/** {@link OrgRoles} over the gateway's {@code GET /internal/orgs/{org}/members/{userId}}, one call per organization. */
@ApplicationScoped
public class GatewayOrgRoles implements OrgRoles {

    private final ServiceClient client;

    public GatewayOrgRoles(ServiceClient client) {
        this.client = client;
    }

    @Override
    public Uni<Set<String>> memberOf(long userId, Collection<String> orgs) {
        if (orgs.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Multi.createFrom().iterable(orgs)
                .onItem().transformToUniAndMerge(org -> role(org, userId).map(role -> role ? org : ""))
                .filter(org -> !org.isEmpty())
                .collect().asSet();
    }

    private Uni<Boolean> role(String org, long userId) {
        String path = "/internal/orgs/" + URLEncoder.encode(org, StandardCharsets.UTF_8).replace("+", "%20") + "/members/" + userId;
        return client.request(HttpMethod.GET, "gateway", path).send().map(response -> {
            if (response.statusCode() == 404) {
                return false;
            }
            if (response.statusCode() / 100 != 2) {
                throw new dev.shoal.platform.error.ApiException(503, "unavailable",
                        "the gateway could not say who belongs to " + org + "; try again shortly");
            }
            JsonObject data = response.bodyAsJsonObject().getJsonObject("data", new JsonObject());
            String role = data.getString("role");
            return "owner".equals(role) || "member".equals(role);
        }).onFailure(e -> !(e instanceof dev.shoal.platform.error.ApiException)).transform(e ->
                new dev.shoal.platform.error.ApiException(503, "unavailable", "the gateway did not answer; try again shortly"));
    }
}
