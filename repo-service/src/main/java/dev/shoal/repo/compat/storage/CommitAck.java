package dev.shoal.repo.compat.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What commit-pack and diff-commit answer; {@code commit} is absent when nothing was written. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommitAck(Commit commit, Result result) {

    public record Commit(@JsonProperty("commit_sha") String commitSha, @JsonProperty("tree_sha") String treeSha,
                         @JsonProperty("target_branch") String targetBranch, @JsonProperty("pack_bytes") long packBytes,
                         @JsonProperty("blob_count") int blobCount) {
    }

    public record Result(String branch, @JsonProperty("old_sha") String oldSha, @JsonProperty("new_sha") String newSha,
                         boolean success, String status, String message) {
    }
}
