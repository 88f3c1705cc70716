package dev.shoal.repo.content;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What head adds on top of its merge base with base (three-dot semantics, as pull requests show it). */
public record Comparison(@JsonProperty("merge_base") String mergeBase, @JsonProperty("base_sha") String baseSha,
                         @JsonProperty("head_sha") String headSha, List<Commit> commits, List<FileChange> files,
                         String diff) {

    public record Commit(String sha, String message, String author) {
    }

    public record FileChange(String path, @JsonProperty("old_path") String oldPath, String status, int additions,
                             int deletions, boolean binary) {
    }
}
