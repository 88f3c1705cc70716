package dev.shoal.gateway.org;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.event.schema.OrgChanged;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;

/** An organization as the Isurus API shows it. */
public record Org(long id, String name, String description, @JsonProperty("created_at") Instant createdAt) {

    public static Org from(Row row) {
        return new Org(row.getLong("id"), row.getString("name"), row.getString("description"),
                row.getOffsetDateTime("created_at").toInstant());
    }

    public OrgChanged toEvent() {
        return new OrgChanged(id, name, description, createdAt);
    }
}
