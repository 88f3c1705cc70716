package dev.shoal.issue.compat.pagure.client;

import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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
        return client.find("gateway", "/internal/orgs/" + ServiceClient.encode(org) + "/members/" + userId)
                .map(found -> found.map(data -> data.getString("role")).filter(role -> "owner".equals(role) || "member".equals(role))
                        .isPresent());
    }
}
