package dev.shoal.issue.support;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads what this service wrote to its outbox for one repository, in order. */
public final class Outboxes {

    private Outboxes() {
    }

    public static List<JsonObject> events(Pool pool, long repoId) {
        List<JsonObject> events = new ArrayList<>();
        pool.preparedQuery("SELECT topic, payload FROM outbox_event WHERE event_key = $1 ORDER BY seq")
                .execute(Tuple.of(String.valueOf(repoId))).await().atMost(Duration.ofSeconds(10))
                .forEach(row -> events.add(new JsonObject(row.getString("payload")).put("_topic", row.getString("topic"))));
        return events;
    }

    public static List<String> types(Pool pool, long repoId) {
        return events(pool, repoId).stream().map(e -> e.getString("type")).toList();
    }
}
