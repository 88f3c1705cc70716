package dev.shoal.issue.compat.pagure.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/**
 * Commit flags, owned by pipeline-service (it owns commit statuses). A Pagure pull request flag is
 * a flag on the pull request's head commit, so CI results and Pagure flags show in one place and
 * a push that moves the head starts with a clean slate, as commit statuses do elsewhere.
 */
public interface CommitFlags {

    Uni<List<Flag>> list(long repoId, String sha);

    /** Adds a flag, or updates the one with the same uid on this repository. */
    Uni<Saved> save(long repoId, String sha, NewFlag flag);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NewFlag(String uid, String username, String comment, String url, String status, Integer percent,
                   @JsonProperty("user_id") Long userId, @JsonProperty("user_login") String userLogin) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Flag(String uid, @JsonProperty("commit_hash") String commitHash, String username, String comment, String url,
                String status, Integer percent, @JsonProperty("user_id") Long userId,
                @JsonProperty("user_login") String userLogin, @JsonProperty("created_at") Instant createdAt,
                @JsonProperty("updated_at") Instant updatedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Saved(Flag flag, boolean created) {
    }
}
