package dev.shoal.webhook.delivery.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.Topics;
import dev.shoal.platform.messaging.EventHandler;
import dev.shoal.webhook.delivery.repository.DeliveryRepository;
import dev.shoal.webhook.delivery.service.Payloads;
import dev.shoal.webhook.hook.HookEvents;
import dev.shoal.webhook.hook.repository.HookRepository;
import dev.shoal.webhook.repo.RepoInfo;
import dev.shoal.webhook.repo.repository.RepoRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Turns events into delivery rows, in the consumer's transaction (which also records the event id),
 * so each event becomes each subscribed hook's delivery exactly once. It also keeps the copy of
 * repository identities that payloads show, and drops the hooks of a deleted repository.
 */
@ApplicationScoped
public class EventDeliveryHandler implements EventHandler {

    private final HookRepository hooks;
    private final DeliveryRepository deliveries;
    private final RepoRepository repos;
    private final Payloads payloads;

    public EventDeliveryHandler(HookRepository hooks, DeliveryRepository deliveries, RepoRepository repos, Payloads payloads) {
        this.hooks = hooks;
        this.deliveries = deliveries;
        this.repos = repos;
        this.payloads = payloads;
    }

    @Override
    public String name() {
        return "webhook-deliveries";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.REPO, Topics.ISSUE, Topics.PIPELINE);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        if (event.repo() == null) {
            return Uni.createFrom().voidItem();
        }
        long repoId = event.repo().id();
        if (event.is(EventTypes.REPO_DELETED)) {
            return hooks.deleteForRepo(tx, repoId).chain(() -> repos.delete(tx, repoId));
        }
        return remember(tx, event).chain(repo -> {
            Optional<String> hookEvent = HookEvents.forEventType(event.type());
            if (hookEvent.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return hooks.activeSubscribers(tx, repoId, hookEvent.get()).chain(targets -> {
                if (targets.isEmpty()) {
                    return Uni.createFrom().voidItem();
                }
                byte[] body = payloads.forEvent(event, hookEvent.get(), repo);
                List<Long> hookIds = targets.stream().map(target -> target.hook().id()).toList();
                return deliveries.insertAll(tx, hookIds, hookEvent.get(), event.id(), body).replaceWithVoid();
            });
        });
    }

    /** Upserts the repository from the envelope (and the event data of repo.created/updated). */
    private Uni<RepoInfo> remember(SqlConnection tx, EventEnvelope event) {
        EventEnvelope.RepoRef ref = event.repo();
        String description = null;
        String defaultBranch = null;
        if (event.is(EventTypes.REPO_CREATED) || event.is(EventTypes.REPO_UPDATED)) {
            JsonNode data = event.data();
            description = text(data, "description");
            defaultBranch = text(data, "default_branch");
        }
        if (ref.org() == null || ref.name() == null) {
            return repos.find(tx, ref.id()).map(found -> found.orElse(Payloads.fromEnvelope(ref)));
        }
        return repos.upsertAndGet(tx, ref.id(), ref.org(), ref.name(), ref.isPrivate(), description, defaultBranch);
    }

    private static String text(JsonNode data, String field) {
        return data == null || !data.hasNonNull(field) ? null : data.get(field).asText();
    }
}
