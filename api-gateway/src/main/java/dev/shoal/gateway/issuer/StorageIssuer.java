package dev.shoal.gateway.issuer;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;

/** A Code Storage token issuer: its name ({@code iss}) and the public key its JWTs are checked with. */
public record StorageIssuer(long id, String name, String algorithm, @JsonProperty("public_key") String publicKey,
                            @JsonProperty("created_at") Instant createdAt) {

    public static StorageIssuer from(Row row) {
        return new StorageIssuer(row.getLong("id"), row.getString("name"), row.getString("algorithm"),
                row.getString("public_key"), row.getOffsetDateTime("created_at").toInstant());
    }
}
