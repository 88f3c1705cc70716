package dev.shoal.repo.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A commit in Isurus' words: node = full SHA, short_node = 12 hex, rev = number of commits
 * reachable from it (itself included), branch = "default" when the default branch contains it.
 * {@code diff} is present on the single-changeset endpoint only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Changeset(String node, @JsonProperty("short_node") String shortNode, long rev, String author,
                        Instant date, String message, String subject, String branch, List<String> tags, String diff) {
}
