package dev.shoal.gateway.sshkey;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * A stored SSH public key: a user's, or a repository's deploy key ({@code read_only} is shown for
 * deploy keys only; a user's key writes wherever its user may).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SshKey(long id, String title, String key, String fingerprint,
                     @JsonProperty("read_only") Boolean readOnly,
                     @JsonProperty("created_at") Instant createdAt, @JsonProperty("last_used_at") Instant lastUsedAt,
                     @JsonIgnore Long userId, @JsonIgnore Long repoId) {

    public static SshKey from(Row row) {
        Long repoId = row.getLong("repo_id");
        return new SshKey(row.getLong("id"), row.getString("title"), row.getString("public_key"), row.getString("fingerprint"),
                repoId == null ? null : row.getBoolean("read_only"), instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("last_used_at")), row.getLong("user_id"), repoId);
    }

    public boolean isDeployKey() {
        return repoId != null;
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
