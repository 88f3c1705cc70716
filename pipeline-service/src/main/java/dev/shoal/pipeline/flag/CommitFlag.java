package dev.shoal.pipeline.flag;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** A flag on a commit: a named result (status, optional percent) with a comment and a link, set by uid. */
public record CommitFlag(String uid, @JsonProperty("commit_hash") String commitHash, String username, String comment,
                         String url, String status, Integer percent, @JsonProperty("user_id") Long userId,
                         @JsonProperty("user_login") String userLogin, @JsonProperty("created_at") Instant createdAt,
                         @JsonProperty("updated_at") Instant updatedAt) {

    public static final List<String> STATUSES = List.of("success", "failure", "error", "pending", "canceled");

    /** What a client sends; {@code uid} null means a new flag with a generated uid. */
    public record NewFlag(String uid, String username, String comment, String url, String status, Integer percent,
                          @JsonProperty("user_id") Long userId, @JsonProperty("user_login") String userLogin) {
    }

    /** The flag after a save, and whether the save created it (else it updated the flag with that uid). */
    public record Saved(CommitFlag flag, boolean created) {
    }
}
