package dev.shoal.repo.support;

import dev.shoal.repo.compat.pagure.client.OrgMembership;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's membership lookup, which does not run in repo-service tests: organizations and
 * roles a test registered (users not registered in a known organization are "none").
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class MembershipDouble implements OrgMembership {

    private final Map<String, Long> orgs = new ConcurrentHashMap<>();
    private final Map<String, String> roles = new ConcurrentHashMap<>();

    public void org(String org, long orgId) {
        orgs.put(org, orgId);
    }

    public void role(String org, long userId, String role) {
        roles.put(org + ":" + userId, role);
    }

    @Override
    public Uni<Optional<Membership>> of(String org, long userId) {
        Long id = orgs.get(org);
        return Uni.createFrom().item(id == null ? Optional.empty()
                : Optional.of(new Membership(id, roles.getOrDefault(org + ":" + userId, "none"))));
    }
}
