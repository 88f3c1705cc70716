package dev.shoal.webhook.hook.service;

import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.webhook.delivery.repository.DeliveryRepository;
import dev.shoal.webhook.delivery.service.Dispatcher;
import dev.shoal.webhook.delivery.service.HookshotClient;
import dev.shoal.webhook.delivery.service.Payloads;
import dev.shoal.webhook.hook.Hook;
import dev.shoal.webhook.hook.HookEvents;
import dev.shoal.webhook.hook.repository.HookRepository;
import dev.shoal.webhook.hook.rest.CreateHookRequest;
import dev.shoal.webhook.hook.rest.UpdateHookRequest;
import dev.shoal.webhook.repo.RepoInfo;
import dev.shoal.webhook.repo.repository.RepoRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class HookService {

    private final Pool pool;
    private final HookRepository hooks;
    private final DeliveryRepository deliveries;
    private final RepoRepository repos;
    private final SecretCipher cipher;
    private final Payloads payloads;
    private final HookshotClient client;
    private final Dispatcher dispatcher;

    public HookService(Pool pool, HookRepository hooks, DeliveryRepository deliveries, RepoRepository repos,
                       SecretCipher cipher, Payloads payloads, HookshotClient client, Dispatcher dispatcher) {
        this.pool = pool;
        this.hooks = hooks;
        this.deliveries = deliveries;
        this.repos = repos;
        this.cipher = cipher;
        this.payloads = payloads;
        this.client = client;
        this.dispatcher = dispatcher;
    }

    /**
     * The repository of the route: the gateway puts its id in the caller's token; the names in the
     * path fill in what this service has not yet learnt from {@code shoal.repo} events.
     */
    public Uni<RepoInfo> repository(SqlClient client, Caller caller, String org, String name) {
        if (caller.repoId() != null) {
            long id = caller.repoId();
            return repos.find(client, id).map(found -> found.orElseGet(() -> new RepoInfo(id, org, name, null, null, null)));
        }
        return repos.findByName(client, org, name)
                .map(found -> found.orElseThrow(() -> new NotFoundException("repository " + org + "/" + name + " not found")));
    }

    public Uni<List<Hook>> list(Caller caller, String org, String name) {
        return pool.withConnection(c -> repository(c, caller, org, name).chain(repo -> hooks.list(c, repo.id())));
    }

    public Uni<Hook> get(Caller caller, String org, String name, String hookId) {
        long id = parseId(hookId);
        return pool.withConnection(c -> repository(c, caller, org, name)
                .chain(repo -> hooks.find(c, repo.id(), id, false))
                .map(found -> found.orElseThrow(() -> notFound(hookId))));
    }

    /** Creates the hook and, when it is active, queues its ping in the same transaction. */
    public Uni<Hook> create(Caller caller, String org, String name, CreateHookRequest request) {
        if (request == null) {
            throw new ValidationException("the body must be a JSON object with url, secret and events");
        }
        String url = HookValidator.url(request.url(), client.guard());
        String secret = HookValidator.secret(request.secret());
        List<String> events = HookValidator.events(request.events() == null ? List.of(HookEvents.PUSH) : request.events());
        String contentType = HookValidator.contentType(request.contentType());
        boolean active = request.isActive() == null || request.isActive();
        boolean parallel = request.parallel() != null && request.parallel();
        return pool.withTransaction(tx -> repository(tx, caller, org, name)
                        .chain(repo -> hooks.insert(tx, repo.id(), url, cipher.seal(secret), events, contentType, active,
                                        parallel, caller.userId())
                                .chain(hook -> active ? queuePing(tx, hook, repo, caller) : Uni.createFrom().item(hook))))
                .invoke(dispatcher::wake);
    }

    private Uni<Hook> queuePing(SqlClient tx, Hook hook, RepoInfo repo, Caller caller) {
        byte[] body = payloads.ping(hook, repo, caller.userId(), caller.login());
        return deliveries.insert(tx, hook.id(), UUID.randomUUID(), HookEvents.PING, null, body)
                .chain(() -> deliveries.notifyDue(tx))
                .replaceWith(hook);
    }

    public Uni<Hook> update(Caller caller, String org, String name, String hookId, UpdateHookRequest request) {
        long id = parseId(hookId);
        if (request == null) {
            throw new ValidationException("the body must be a JSON object with any of url, secret, events, is_active");
        }
        String url = request.url() == null ? null : HookValidator.url(request.url(), client.guard());
        String sealed = request.secret() == null ? null : cipher.seal(HookValidator.secret(request.secret()));
        List<String> events = request.events() == null ? null : HookValidator.events(request.events());
        HookValidator.contentType(request.contentType());
        return pool.withTransaction(tx -> repository(tx, caller, org, name)
                .chain(repo -> hooks.find(tx, repo.id(), id, true))
                .map(found -> found.orElseThrow(() -> notFound(hookId)))
                .chain(hook -> {
                    Hook changed = new Hook(hook.id(), hook.repoId(), url == null ? hook.url() : url,
                            events == null ? hook.events() : events, hook.contentType(),
                            request.isActive() == null ? hook.isActive() : request.isActive(),
                            request.parallel() == null ? hook.parallel() : request.parallel(),
                            hook.disabledReason(), hook.createdAt(), hook.updatedAt());
                    Uni<Hook> saved = hooks.update(tx, changed, sealed);
                    if (hook.isActive() && !changed.isActive()) {
                        saved = saved.call(s -> deliveries.failUnsent(tx, s.id(), "not sent: the hook was deactivated"));
                    }
                    return saved;
                }))
                .invoke(dispatcher::wake);
    }

    public Uni<Void> delete(Caller caller, String org, String name, String hookId) {
        long id = parseId(hookId);
        return pool.withTransaction(tx -> repository(tx, caller, org, name)
                .chain(repo -> hooks.delete(tx, repo.id(), id))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw notFound(hookId);
                    }
                })
                .replaceWithVoid());
    }

    static long parseId(String hookId) {
        try {
            long id = Long.parseLong(hookId);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // falls through to not found: an id that cannot exist
        }
        throw notFound(hookId);
    }

    private static NotFoundException notFound(String hookId) {
        return new NotFoundException("webhook " + printable(hookId) + " not found in this repository");
    }

    static String printable(String value) {
        String cleaned = value.replaceAll("[^A-Za-z0-9_.-]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
    }
}
