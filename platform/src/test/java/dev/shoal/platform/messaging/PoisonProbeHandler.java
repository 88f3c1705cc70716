package dev.shoal.platform.messaging;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.Topics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records, in order, the {@code dl-*} repository names it applies; always fails on names in {@link #POISON}. */
@ApplicationScoped
public class PoisonProbeHandler implements EventHandler {

    static final List<String> APPLIED = new CopyOnWriteArrayList<>();
    static final Set<String> POISON = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "poison-probe";
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.REPO);
    }

    @Override
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        String name = event.repo() == null ? "" : event.repo().name();
        if (!name.startsWith("dl-")) {
            return Uni.createFrom().voidItem();
        }
        if (POISON.contains(name)) {
            return Uni.createFrom().failure(new IllegalStateException("poisoned on purpose: " + name));
        }
        APPLIED.add(name);
        return Uni.createFrom().voidItem();
    }
}
