package dev.shoal.repo.compat.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Bodies of the SDK's merge, previewMerge and restoreCommit calls (the shapes its zod schemas
 * check: optional fields are omitted, never null).
 */
public final class MergeViews {

    private MergeViews() {
    }

    public record MergeRequest(@JsonProperty("source_branch") String sourceBranch,
                               @JsonProperty("target_branch") String targetBranch,
                               String strategy,
                               @JsonProperty("source_is_ephemeral") Boolean sourceIsEphemeral,
                               @JsonProperty("target_is_ephemeral") Boolean targetIsEphemeral,
                               @JsonProperty("expected_target_sha") String expectedTargetSha,
                               @JsonProperty("commit_message") String commitMessage,
                               CommitMetadata.Signature author,
                               CommitMetadata.Signature committer,
                               @JsonProperty("allow_unrelated_histories") Boolean allowUnrelatedHistories,
                               Boolean squash) {
    }

    public record Source(String branch, boolean ephemeral, String sha) {
    }

    public record Target(String branch, boolean ephemeral, @JsonProperty("old_sha") String oldSha,
                         @JsonProperty("new_sha") String newSha) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Merged(String result, @JsonProperty("commit_sha") String commitSha, @JsonProperty("tree_sha") String treeSha,
                         Source source, Target target, @JsonProperty("merge_base_sha") String mergeBaseSha,
                         @JsonProperty("promoted_commits") int promotedCommits) {
    }

    /** One side of a conflict; {@code content} only when asked for, text, and within the cap. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Blob(String oid, String content, boolean truncated, boolean binary) {
    }

    public record Conflict(String path, Blob result, Blob base, Blob ours, Blob theirs) {
    }

    public record FilteredConflict(String path, String reason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Preview(String status, String result, @JsonProperty("source_branch") String sourceBranch,
                          @JsonProperty("target_branch") String targetBranch,
                          @JsonProperty("source_tip_sha") String sourceTipSha,
                          @JsonProperty("target_tip_sha") String targetTipSha,
                          @JsonProperty("merge_base_sha") String mergeBaseSha,
                          @JsonProperty("conflict_paths") List<String> conflictPaths,
                          List<Conflict> conflicts,
                          @JsonProperty("filtered_conflicts") List<FilteredConflict> filteredConflicts) {
    }

    /** {@code {"metadata": {...}}}, as the SDK sends restoreCommit. */
    public record RestoreRequest(RestoreMetadata metadata) {
    }

    public record RestoreMetadata(@JsonProperty("target_branch") String targetBranch,
                                  @JsonProperty("target_commit_sha") String targetCommitSha,
                                  @JsonProperty("commit_message") String commitMessage,
                                  @JsonProperty("expected_head_sha") String expectedHeadSha,
                                  CommitMetadata.Signature author,
                                  CommitMetadata.Signature committer) {
    }

    public record RestoreCommit(@JsonProperty("commit_sha") String commitSha, @JsonProperty("tree_sha") String treeSha,
                                @JsonProperty("target_branch") String targetBranch, @JsonProperty("pack_bytes") long packBytes) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RestoreResult(String branch, @JsonProperty("old_sha") String oldSha, @JsonProperty("new_sha") String newSha,
                                boolean success, String status, String message) {
    }

    /** The ack ({@code commit} and a successful result) or a failure ({@code commit} omitted, success false). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RestoreAck(RestoreCommit commit, RestoreResult result) {
    }
}
