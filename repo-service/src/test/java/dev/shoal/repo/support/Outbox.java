package dev.shoal.repo.support;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Reads the events a repository produced straight from the outbox table. */
public final class Outbox {

    private Outbox() {
    }

    public static List<JsonObject> events(Pool pool, long repoId, String type) {
        List<JsonObject> events = new ArrayList<>();
        pool.preparedQuery("SELECT payload FROM outbox_event WHERE event_key = $1 ORDER BY seq")
                .execute(Tuple.of(String.valueOf(repoId))).await().indefinitely()
                .forEach(row -> {
                    JsonObject event = new JsonObject(row.getString(0));
                    if (type.equals(event.getString("type"))) {
                        events.add(event);
                    }
                });
        return events;
    }
}
