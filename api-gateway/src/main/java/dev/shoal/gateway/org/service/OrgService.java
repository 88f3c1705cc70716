package dev.shoal.gateway.org.service;

import dev.shoal.gateway.access.Require;
import dev.shoal.gateway.org.Member;
import dev.shoal.gateway.org.Org;
import dev.shoal.gateway.org.repository.OrgRepository;
import dev.shoal.gateway.user.User;
import dev.shoal.gateway.user.repository.UserRepository;
import dev.shoal.gateway.user.service.NameReservations;
import dev.shoal.gateway.user.service.Names;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.schema.MemberChanged;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

@ApplicationScoped
public class OrgService {

    private static final Set<String> ROLES = Set.of("owner", "member");

    private final Pool pool;
    private final OrgRepository orgs;
    private final UserRepository users;
    private final Outbox outbox;
    private final OrgDirectory directory;
    private final NameReservations names;

    public OrgService(Pool pool, OrgRepository orgs, UserRepository users, Outbox outbox, OrgDirectory directory,
                      NameReservations names) {
        this.names = names;
        this.pool = pool;
        this.orgs = orgs;
        this.users = users;
        this.outbox = outbox;
        this.directory = directory;
    }

    public Uni<Org> get(String name) {
        return orgs.byName(pool, name).map(o -> o.orElseThrow(() -> new NotFoundException("organization '" + name + "' not found")));
    }

    public Uni<Org> byId(long id) {
        return orgs.byId(pool, id).map(o -> o.orElseThrow(() -> new NotFoundException("organization " + id + " not found")));
    }

    /** Every organization for site admins; the caller's own for everyone else. */
    public Uni<java.util.List<Org>> list(Caller caller, PageRequest page) {
        Long member = caller.siteAdmin() ? null : caller.requireUserId();
        return orgs.list(pool, member, page.offset(), page.perPage());
    }

    public Uni<Org> create(Caller caller, String name, String description) {
        Names.requireOrg("name", name);
        if (description != null && description.length() > 1000) {
            throw new ValidationException("description must be at most 1000 characters");
        }
        long userId = Require.user(caller).userId();
        return pool.withTransaction(tx -> names.holders(tx, name).invoke(holders -> {
                    if (holders.contains("issuer")) {
                        throw new ConflictException("'" + name + "' is the name of a Code Storage issuer, whose repositories "
                                + "live under it; choose another name for the organization");
                    }
                }).chain(() -> orgs.insert(tx, name, description == null ? "" : description))
                .map(o -> o.orElseThrow(() -> new ConflictException("organization '" + name + "' already exists")))
                .call(org -> orgs.upsertMember(tx, org.id(), userId, "owner"))
                .call(org -> outbox.append(tx, EventTypes.ORG_CREATED, actor(caller), null, org.toEvent(), org.id()))
                .call(org -> outbox.append(tx, EventTypes.MEMBER_ADDED, actor(caller), null,
                        new MemberChanged(org.id(), org.name(), userId, caller.login(), "owner"), org.id())));
    }

    public Uni<PageResponse<Member>> members(Caller caller, String orgName, PageRequest page) {
        return get(orgName).invoke(org -> Require.inOrg(caller, org.id(), false, org.name())).chain(org -> orgs.countMembers(pool, org.id())
                .chain(total -> orgs.members(pool, org.id(), page.offset(), page.perPage())
                        .map(list -> PageResponse.of(list, page, total))));
    }

    /** Adds a member or changes a role; an organization always keeps at least one owner. */
    public Uni<Member> putMember(Caller caller, String orgName, String username, String role) {
        if (role == null || !ROLES.contains(role)) {
            throw new ValidationException("role must be one of owner, member");
        }
        return pool.withTransaction(tx -> orgs.byName(tx, orgName)
                .map(o -> o.orElseThrow(() -> new NotFoundException("organization '" + orgName + "' not found")))
                .invoke(org -> Require.inOrg(caller, org.id(), true, org.name()))
                .chain(org -> findUser(tx, username).chain(user -> orgs.lockOwners(tx, org.id())
                        .chain(owners -> orgs.role(tx, org.id(), user.id()).chain(current -> {
                            if (current.filter("owner"::equals).isPresent() && !"owner".equals(role) && owners <= 1) {
                                throw new ConflictException("'" + username + "' is the last owner of '" + org.name()
                                        + "'; make someone else an owner first");
                            }
                            var type = current.isPresent() ? EventTypes.MEMBER_UPDATED : EventTypes.MEMBER_ADDED;
                            return orgs.upsertMember(tx, org.id(), user.id(), role)
                                    .call(() -> outbox.append(tx, type, actor(caller), null,
                                            new MemberChanged(org.id(), org.name(), user.id(), user.username(), role), org.id()))
                                    .invoke(() -> directory.forgetRole(org.id(), user.id()))
                                    .replaceWith(new Member(user, role));
                        })))));
    }

    public Uni<Void> removeMember(Caller caller, String orgName, String username) {
        return pool.withTransaction(tx -> orgs.byName(tx, orgName)
                .map(o -> o.orElseThrow(() -> new NotFoundException("organization '" + orgName + "' not found")))
                .invoke(org -> Require.inOrg(caller, org.id(), true, org.name()))
                .chain(org -> findUser(tx, username).chain(user -> orgs.lockOwners(tx, org.id())
                        .chain(owners -> orgs.role(tx, org.id(), user.id()).chain(current -> {
                            if (current.isEmpty()) {
                                throw new NotFoundException("'" + username + "' is not a member of '" + org.name() + "'");
                            }
                            if (current.get().equals("owner") && owners <= 1) {
                                throw new ConflictException("'" + username + "' is the last owner of '" + org.name()
                                        + "'; make someone else an owner first");
                            }
                            return orgs.removeMember(tx, org.id(), user.id())
                                    .call(() -> outbox.append(tx, EventTypes.MEMBER_REMOVED, actor(caller), null,
                                            new MemberChanged(org.id(), org.name(), user.id(), user.username(), null), org.id()))
                                    .invoke(() -> directory.forgetRole(org.id(), user.id()))
                                    .replaceWithVoid();
                        })))));
    }

    private Uni<User> findUser(io.vertx.mutiny.sqlclient.SqlClient tx, String username) {
        return users.byUsername(tx, username).map(u -> u.filter(User::active)
                .orElseThrow(() -> new NotFoundException("user '" + username + "' not found")));
    }

    private static EventEnvelope.Actor actor(Caller caller) {
        return new EventEnvelope.Actor(caller.userId(), caller.login());
    }
}
