package dev.shoal.repo.compat.storage;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The first line of a commit-pack or diff-commit body. */
public record CommitMetadata(
        @JsonProperty("target_branch") String targetBranch,
        @JsonProperty("expected_head_sha") String expectedHeadSha,
        @JsonProperty("base_branch") String baseBranch,
        @JsonProperty("commit_message") String commitMessage,
        Signature author,
        Signature committer,
        List<FileOp> files,
        Boolean ephemeral,
        @JsonProperty("ephemeral_base") Boolean ephemeralBase) {

    public record Signature(String name, String email, String date) {
    }

    public record FileOp(String path, String operation, @JsonProperty("content_id") String contentId, String mode) {
    }

    /** {@code {"metadata": {...}}} */
    public record Line(CommitMetadata metadata) {
    }
}
