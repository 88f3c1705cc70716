package dev.shoal.gateway.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A token as listed. {@code token} holds the plaintext only in the create response; lists show the
 * last eight characters so a person can tell tokens apart.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiToken(long id, String name, List<String> scopes, @JsonProperty("token_last_eight") String lastEight,
                       @JsonProperty("expires_at") Instant expiresAt, @JsonProperty("created_at") Instant createdAt,
                       @JsonProperty("last_used_at") Instant lastUsedAt, String token) {

    public static ApiToken from(Row row) {
        return new ApiToken(row.getLong("id"), row.getString("name"), List.of(row.getArrayOfStrings("scopes")),
                row.getString("last_eight"), instant(row.getOffsetDateTime("expires_at")),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("last_used_at")), null);
    }

    public ApiToken withPlaintext(String plaintext) {
        return new ApiToken(id, name, scopes, lastEight, expiresAt, createdAt, lastUsedAt, plaintext);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
