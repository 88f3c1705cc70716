package dev.shoal.platform.messaging;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.Topics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records, in order, the repository names of the {@code order-*} events it applies; an event whose
 * name is in {@link #FAILURES} fails that many times before it is applied.
 */
@ApplicationScoped
public class OrderProbeHandler implements EventHandler {

    static final List<String> APPLIED = new CopyOnWriteArrayList<>();
    static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "order-probe";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.REPO);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        String name = event.repo() == null ? "" : event.repo().name();
        if (!name.startsWith("order-")) {
            return Uni.createFrom().voidItem();
        }
        AtomicInteger left = FAILURES.get(name);
        if (left != null && left.getAndDecrement() > 0) {
            return Uni.createFrom().failure(new IllegalStateException("failing on purpose: " + name));
        }
        APPLIED.add(name);
        return Uni.createFrom().voidItem();
    }
}
