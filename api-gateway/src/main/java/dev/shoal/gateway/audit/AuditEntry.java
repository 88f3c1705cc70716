package dev.shoal.gateway.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;

/** One mutating request: who, which route and target, the answer, when. */
public record AuditEntry(long id, @JsonProperty("actor_id") Long actorId, @JsonProperty("actor_login") String actorLogin,
                         String method, String route, String path, int status,
                         @JsonProperty("request_id") String requestId, @JsonProperty("client_ip") String clientIp,
                         @JsonProperty("created_at") Instant createdAt) {

    public static AuditEntry from(Row row) {
        return new AuditEntry(row.getLong("id"), row.getLong("actor_id"), row.getString("actor_login"),
                row.getString("method"), row.getString("route"), row.getString("path"), row.getInteger("status"),
                row.getString("request_id"), row.getString("client_ip"), row.getOffsetDateTime("created_at").toInstant());
    }
}
