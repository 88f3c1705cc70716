package dev.shoal.issue.support;

import dev.shoal.issue.compat.pagure.client.OrgRoles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The gateway's memberships, which do not run in these tests: the ones a test declared. */
@Alternative
@Priority(1)
@ApplicationScoped
public class OrgRolesDouble implements OrgRoles {

    private final Map<Long, Set<String>> members = new ConcurrentHashMap<>();

    public void member(long userId, String org) {
        members.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(org);
    }

    @Override
    public Uni<Set<String>> memberOf(long userId, Collection<String> orgs) {
        Set<String> mine = members.getOrDefault(userId, Set.of());
        return Uni.createFrom().item(orgs.stream().filter(mine::contains).collect(Collectors.toSet()));
    }
}
