package dev.shoal.repo.compat.pagure.client;

import dev.shoal.platform.client.ServiceClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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
        return client.find("gateway", "/internal/orgs/" + ServiceClient.encode(org) + "/members/" + userId)
                .map(found -> found.map(data -> new Membership(data.getLong("org_id"), data.getString("role"))));
    }
}
