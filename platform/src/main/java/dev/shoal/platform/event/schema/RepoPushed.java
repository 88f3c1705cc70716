package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * {@code repo.pushed}: one ref moved; up to 20 of the commits it gained, newest first, and
 * {@code head_commit}, the commit the ref now names (for a tag, the commit it points to), even when
 * the push gained no commit (a new branch at an existing commit); absent for a deletion.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RepoPushed(String ref, String before, String after, List<Commit> commits, Pusher pusher,
                         @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("head_commit") Commit headCommit) {

    public RepoPushed(String ref, String before, String after, List<Commit> commits, Pusher pusher) {
        this(ref, before, after, commits, pusher, null);
    }

    /**
     * A commit: {@code author} is {@code "Name <email>"}; {@code author_name}, {@code author_email}
     * and {@code timestamp} (the committer's time) are optional for older producers.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Commit(String sha, String message, String author, @JsonProperty("author_name") String authorName,
                         @JsonProperty("author_email") String authorEmail, Instant timestamp) {

        public Commit(String sha, String message, String author) {
            this(sha, message, author, null, null, null);
        }
    }

    public record Pusher(Long id, String login) {
    }
}
