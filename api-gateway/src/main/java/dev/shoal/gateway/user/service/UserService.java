package dev.shoal.gateway.user.service;

import dev.shoal.gateway.auth.TokenAuthenticator;
import dev.shoal.gateway.user.User;
import dev.shoal.gateway.user.repository.UserRepository;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventType;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class UserService {

    private final Pool pool;
    private final UserRepository users;
    private final Outbox outbox;
    private final TokenAuthenticator authenticator;
    private final NameReservations names;

    public UserService(Pool pool, UserRepository users, Outbox outbox, TokenAuthenticator authenticator, NameReservations names) {
        this.names = names;
        this.pool = pool;
        this.users = users;
        this.outbox = outbox;
        this.authenticator = authenticator;
    }

    public record CreateUser(String username, String email, String displayName, Boolean isAdmin) {
    }

    public record UpdateUser(String email, String displayName, Boolean isAdmin, Boolean active) {
    }

    public Uni<User> get(long id) {
        return users.byId(pool, id).map(u -> u.orElseThrow(() -> new NotFoundException("user not found")));
    }

    public Uni<User> get(String username) {
        return users.byUsername(pool, username).map(u -> u.orElseThrow(() -> new NotFoundException("user '" + username + "' not found")));
    }

    public Uni<PageResponse<User>> list(PageRequest page) {
        return users.count(pool).chain(total -> users.page(pool, page.offset(), page.perPage())
                .map(list -> PageResponse.of(list, page, total)));
    }

    public Uni<User> create(Caller actor, CreateUser request) {
        Names.require("username", request.username());
        return pool.withTransaction(tx -> names.holders(tx, request.username()).invoke(holders -> {
                    if (holders.contains("issuer")) {
                        throw new ConflictException("'" + request.username() + "' is the name of a Code Storage issuer; "
                                + "choose another username");
                    }
                }).chain(() -> users.insert(tx, request.username(), orEmpty(request.email()),
                        orEmpty(request.displayName()), Boolean.TRUE.equals(request.isAdmin()))
                .map(u -> u.orElseThrow(() -> new ConflictException("username '" + request.username() + "' is taken")))
                .call(user -> emit(tx, EventTypes.USER_CREATED, actor, user))));
    }

    public Uni<User> update(Caller actor, String username, UpdateUser request) {
        return pool.withTransaction(tx -> users.byUsername(tx, username)
                .map(u -> u.orElseThrow(() -> new NotFoundException("user '" + username + "' not found")))
                .chain(user -> users.update(tx, user.id(),
                        request.email() == null ? user.email() : request.email(),
                        request.displayName() == null ? user.displayName() : request.displayName(),
                        request.isAdmin() == null ? user.isAdmin() : request.isAdmin(),
                        request.active() == null ? user.active() : request.active()))
                .call(user -> emit(tx, user.active() ? EventTypes.USER_UPDATED : EventTypes.USER_DEACTIVATED, actor, user)))
                .invoke(user -> authenticator.evictUser(user.id()));
    }

    public Uni<User> deactivate(Caller actor, String username) {
        if (actor.login() != null && actor.login().equalsIgnoreCase(username)) {
            return Uni.createFrom().failure(new ConflictException("you cannot deactivate your own account"));
        }
        return update(actor, username, new UpdateUser(null, null, null, false));
    }

    private Uni<?> emit(SqlClient tx, EventType<dev.shoal.platform.event.schema.UserChanged> type, Caller actor, User user) {
        return outbox.append(tx, type, new EventEnvelope.Actor(actor.userId(), actor.login()), null, user.toEvent(), user.id());
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
