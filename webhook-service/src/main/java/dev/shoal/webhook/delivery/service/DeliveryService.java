package dev.shoal.webhook.delivery.service;

import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.identity.Caller;
import dev.shoal.webhook.delivery.DeliveryDetail;
import dev.shoal.webhook.delivery.DeliverySummary;
import dev.shoal.webhook.delivery.repository.DeliveryRepository;
import dev.shoal.webhook.hook.Hook;
import dev.shoal.webhook.hook.service.HookService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class DeliveryService {

    /** The seed: "Returns the 20 most recent deliveries." */
    public static final int RECENT = 20;

    private final Pool pool;
    private final HookService hookService;
    private final DeliveryRepository deliveries;
    private final Dispatcher dispatcher;

    public DeliveryService(Pool pool, HookService hookService, DeliveryRepository deliveries,
                           Dispatcher dispatcher) {
        this.pool = pool;
        this.hookService = hookService;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
    }

    public Uni<List<DeliverySummary>> recent(Caller caller, String org, String name, String hookId) {
        return hookService.get(caller, org, name, hookId)
                .chain(hook -> pool.withConnection(c -> deliveries.recent(c, hook.id(), RECENT)));
    }

    public Uni<DeliveryDetail> get(Caller caller, String org, String name, String hookId, String deliveryId) {
        long id = parseDeliveryId(deliveryId);
        return hookService.get(caller, org, name, hookId)
                .chain(hook -> pool.withConnection(c -> deliveries.detail(c, hook.id(), id)))
                .map(found -> found.orElseThrow(() -> notFound(deliveryId)));
    }

    /** A new round of attempts for the same delivery: same row, same uuid, same body bytes. */
    public Uni<DeliveryDetail> redeliver(Caller caller, String org, String name, String hookId, String deliveryId) {
        long id = parseDeliveryId(deliveryId);
        return hookService.get(caller, org, name, hookId)
                .chain(hook -> pool.withTransaction(tx -> requireActive(hook)
                        .chain(() -> deliveries.redeliver(tx, hook.id(), id))
                        .chain(changed -> changed ? deliveries.notifyDue(tx) : explain(tx, hook.id(), id))
                        .chain(() -> deliveries.detail(tx, hook.id(), id))))
                .map(found -> found.orElseThrow(() -> notFound(deliveryId)))
                .invoke(dispatcher::wake);
    }

    private static Uni<Void> requireActive(Hook hook) {
        if (!hook.isActive()) {
            return Uni.createFrom().failure(new ConflictException("the webhook is not active"
                    + (hook.disabledReason() == null ? "" : " (" + hook.disabledReason() + ")")
                    + ": set is_active to true before redelivering"));
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> explain(SqlClient tx, long hookId, long id) {
        return deliveries.exists(tx, hookId, id).map(exists -> {
            if (exists) {
                throw new ConflictException("the delivery is being sent right now; redeliver it once this attempt has ended");
            }
            throw notFound(String.valueOf(id));
        });
    }

    private static long parseDeliveryId(String deliveryId) {
        try {
            long id = Long.parseLong(deliveryId);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // an id that cannot exist
        }
        throw notFound(deliveryId);
    }

    private static NotFoundException notFound(String deliveryId) {
        String shown = deliveryId.replaceAll("[^A-Za-z0-9_.-]", "?");
        return new NotFoundException("delivery " + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown)
                + " not found for this webhook");
    }
}
