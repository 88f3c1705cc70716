package dev.shoal.platform.outbox;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.schema.RepoChanged;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/** The outbox tests' writes: a probe row and its {@code repo.created} event, in one transaction. */
final class ProbeEvents {

    private ProbeEvents() {
    }

    /** Commits a probe row named {@code name} and its event; answers the event's id. */
    static UUID write(Pool pool, Outbox outbox, String name) {
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO probe (name) VALUES ($1) RETURNING id")
                        .execute(Tuple.of(name))
                        .chain(rows -> {
                            long id = rows.iterator().next().getLong(0);
                            RepoChanged data = new RepoChanged(id, 1, "org", name, "", false, "main");
                            return outbox.append(tx, EventTypes.REPO_CREATED, new EventEnvelope.Actor(1L, "chris"),
                                    new EventEnvelope.RepoRef(id, "org", name, false), data, id);
                        }))
                .await().atMost(Duration.ofSeconds(10)).id();
    }
}
