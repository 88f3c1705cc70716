package dev.shoal.gateway.deadletter.service;

import dev.shoal.gateway.deadletter.DeadLetterView;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.messaging.DeadLetterTopic;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Site administration of dead letters, for every service at once: they all write to one topic, so
 * the gateway reads it rather than asking each service (the route table maps a path to one service).
 * Kafka's clients block: the work runs on the worker pool.
 */
@ApplicationScoped
public class DeadLetters {

    private final DeadLetterTopic topic;

    public DeadLetters(DeadLetterTopic topic) {
        this.topic = topic;
    }

    /** Newest first. The topic is read whole per call: dead letters are few, and this is an admin's page. */
    public Uni<PageResponse<DeadLetterView>> list(PageRequest page, String service) {
        return Uni.createFrom().item(() -> {
            List<DeadLetterView> all = topic.list().stream().map(DeadLetterView::of)
                    .filter(v -> service == null || service.isBlank() || service.equals(v.service())).toList();
            int from = (int) Math.min((long) (page.page() - 1) * page.perPage(), all.size());
            int to = Math.min(from + page.perPage(), all.size());
            return PageResponse.of(all.subList(from, to), page, all.size());
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Publishes the dead letter's original record to its original topic again. */
    public Uni<DeadLetterView> replay(String id) {
        return Uni.createFrom().item(() -> DeadLetterView.of(topic.replay(id)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
