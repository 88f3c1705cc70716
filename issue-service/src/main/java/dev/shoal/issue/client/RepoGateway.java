package dev.shoal.issue.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/**
 * What issue-service needs from repo-service: repository facts, ref resolution, comparisons,
 * merges and file reads. One implementation calls repo-service's internal API; tests substitute
 * a JGit-backed double because repo-service does not run inside this module's tests.
 */
public interface RepoGateway {

    /** The repository, or a 404 {@code ApiException} when repo-service does not know it. */
    Uni<RepoInfo> repo(long repoId);

    /** The commit a branch, tag, sha or {@code default} points at; empty when it does not exist. */
    Uni<Optional<ResolvedRef>> resolve(long repoId, String ref);

    /** Three-dot comparison: what {@code head} adds since its merge base with {@code base}. */
    Uni<Comparison> compare(long repoId, String base, String head);

    /**
     * Merges {@code source} into {@code target} and moves the target ref. A conflict fails with a
     * 409 {@code merge_conflict} {@code ApiException} whose details hold {@code {"paths": [...]}}.
     */
    Uni<MergeResult> merge(long repoId, MergeCommand command);

    /**
     * Replays the commits of {@code branch} that {@code onto} lacks on top of {@code onto} and moves
     * {@code branch} to the result (a rewrite: refused on protected branches). Conflicts fail like
     * {@link #merge}; a branch already based on {@code onto} is left as it is.
     */
    Uni<MergeResult> rebase(long repoId, RebaseCommand command);

    /** The entries of a directory at a ref; empty when the directory does not exist. */
    Uni<List<TreeEntry>> tree(long repoId, String ref, String path);

    /** A file's bytes at a ref; empty when it does not exist. */
    Uni<Optional<byte[]>> file(long repoId, String ref, String path);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RepoInfo(long id, String org, String name, @JsonProperty("is_private") boolean isPrivate,
                    @JsonProperty("default_branch") String defaultBranch, String description,
                    @JsonProperty("created_at") java.time.Instant createdAt) {

        /** What repository events carry (no description or creation time). */
        public RepoInfo(long id, String org, String name, boolean isPrivate, String defaultBranch) {
            this(id, org, name, isPrivate, defaultBranch, null, null);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ResolvedRef(String sha, String ref) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Comparison(@JsonProperty("merge_base") String mergeBase, @JsonProperty("base_sha") String baseSha,
                      @JsonProperty("head_sha") String headSha, List<Commit> commits, List<FileChange> files,
                      String diff) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Commit(String sha, String message, String author) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record FileChange(String path, @JsonProperty("old_path") String oldPath, String status, int additions,
                      int deletions, boolean binary) {
    }

    record MergeCommand(String source, String target, String method, String message,
                        @JsonProperty("author_name") String authorName,
                        @JsonProperty("author_email") String authorEmail) {
    }

    record RebaseCommand(String branch, String onto) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MergeResult(String sha, String method) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TreeEntry(String name, @JsonProperty("is_dir") boolean isDir, long size) {
    }
}
