package dev.shoal.gateway.user;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.event.schema.UserChanged;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;

/** A user as the Isurus API shows it ({@code GET /api/v1/user}). */
public record User(long id, String username, String email, @JsonProperty("display_name") String displayName,
                   @JsonProperty("is_admin") boolean isAdmin, @JsonProperty("avatar_url") String avatarUrl,
                   @JsonProperty("created_at") Instant createdAt, @JsonIgnore boolean active) {

    public static User from(Row row) {
        return new User(row.getLong("id"), row.getString("username"), row.getString("email"),
                row.getString("display_name"), row.getBoolean("is_admin"), row.getString("avatar_url"),
                row.getOffsetDateTime("created_at").toInstant(), row.getBoolean("active"));
    }

    public UserChanged toEvent() {
        return new UserChanged(id, username, email, displayName, isAdmin, avatarUrl, createdAt, active);
    }
}
