package dev.shoal.repo.compat.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** Response bodies of the Code Storage API (its own shapes, not Shoal's {"data": ...} envelope). */
public final class StorageViews {

    private StorageViews() {
    }

    public record CreateRepoRequest(@JsonProperty("default_branch") String defaultBranch,
                                    @JsonProperty("base_repo") BaseRepoRequest baseRepo) {
    }

    /**
     * {@code base_repo} as the SDK sends it: GitHub sync ({@code provider, owner, name,
     * default_branch}) or a fork of another Code Storage repository ({@code provider: "code",
     * operation: "fork", auth, ref, sha}), which is accepted here only to be refused by name.
     */
    public record BaseRepoRequest(String provider, String owner, String name,
                                  @JsonProperty("default_branch") String defaultBranch, String operation, Object auth,
                                  String ref, String sha, @JsonProperty("upstream_host") String upstreamHost) {
    }

    /** The upstream a repository syncs from, as stored and as shown (without its default branch). */
    public record BaseRepo(String provider, String owner, String name) {
    }

    /** {@code GET /repo} and the entries of {@code GET /repos}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RepoInfo(@JsonProperty("repo_id") String repoId, String url, @JsonProperty("default_branch") String defaultBranch,
                           @JsonProperty("created_at") Instant createdAt, @JsonProperty("base_repo") BaseRepo baseRepo) {
    }

    public record Deleted(@JsonProperty("repo_id") String repoId, String message) {
    }

    public record Message(String message) {
    }

    public record PullUpstreamRequest(String ref, String after) {
    }

    public record Created(String id, @JsonProperty("created_at") Instant createdAt) {
    }

    public record Files(List<String> paths, String ref) {
    }

    public record Branch(String cursor, String name, @JsonProperty("head_sha") String headSha,
                         @JsonProperty("created_at") Instant createdAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Branches(List<Branch> branches, @JsonProperty("next_cursor") String nextCursor,
                           @JsonProperty("has_more") boolean hasMore) {
    }

    public record Commit(String sha, @JsonProperty("parent_shas") List<String> parentShas, String message, @JsonProperty("author_name") String authorName,
                         @JsonProperty("author_email") String authorEmail, @JsonProperty("committer_name") String committerName,
                         @JsonProperty("committer_email") String committerEmail, Instant date) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Commits(List<Commit> commits, @JsonProperty("next_cursor") String nextCursor,
                          @JsonProperty("has_more") boolean hasMore) {
    }

    public record Stats(int files, int additions, int deletions, int changes) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileDiff(String path, String state, @JsonProperty("old_path") String oldPath, long bytes,
                           @JsonProperty("is_eof") boolean isEof, String raw) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Diff(String sha, String branch, String base, Stats stats, List<FileDiff> files,
                       @JsonProperty("filtered_files") List<FileDiff> filteredFiles) {
    }

    public record CreateBranchRequest(@JsonProperty("target_branch") String targetBranch, @JsonProperty("base_ref") String baseRef,
                                      @JsonProperty("base_branch") String baseBranch,
                                      @JsonProperty("base_is_ephemeral") Boolean baseIsEphemeral,
                                      @JsonProperty("target_is_ephemeral") Boolean targetIsEphemeral) {
    }

    public record BranchCreated(String message, @JsonProperty("target_branch") String targetBranch,
                                @JsonProperty("target_is_ephemeral") boolean targetIsEphemeral,
                                @JsonProperty("commit_sha") String commitSha) {
    }

    public record DeleteBranchRequest(String name, Boolean ephemeral) {
    }

    public record BranchDeleted(String name, String message, boolean ephemeral) {
    }

    public record Tag(String cursor, String name, String sha) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tags(List<Tag> tags, @JsonProperty("next_cursor") String nextCursor, @JsonProperty("has_more") boolean hasMore) {
    }

    public record CreateTagRequest(String name, String target) {
    }

    public record TagCreated(String name, String sha, String message) {
    }

    public record DeleteTagRequest(String name) {
    }

    public record TagDeleted(String name, String message) {
    }

    public record SingleCommit(Commit commit) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Repos(List<RepoInfo> repos, @JsonProperty("next_cursor") String nextCursor, @JsonProperty("has_more") boolean hasMore) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileMetadata(String path, String mode, long size, @JsonProperty("last_commit_sha") String lastCommitSha, String type) {
    }

    public record CommitMetadata(String author, Instant date, String message) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FilesMetadata(List<FileMetadata> files, java.util.Map<String, CommitMetadata> commits, String ref,
                                @JsonProperty("next_cursor") String nextCursor, @JsonProperty("has_more") boolean hasMore) {
    }

    /** One line of a blame; git's {@code previous} is not given (the SDK treats it as optional). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BlameLine(@JsonProperty("line_number") int lineNumber, @JsonProperty("commit_sha") String commitSha,
                            @JsonProperty("original_line_number") int originalLineNumber, @JsonProperty("original_path") String originalPath,
                            @JsonProperty("previous_commit_sha") String previousCommitSha,
                            @JsonProperty("author_name") String authorName, @JsonProperty("author_email") String authorEmail,
                            @JsonProperty("author_time") String authorTime, @JsonProperty("committer_name") String committerName,
                            @JsonProperty("committer_email") String committerEmail, @JsonProperty("committer_time") String committerTime,
                            String summary) {
    }

    public record Blame(String ref, String path, @JsonProperty("commit_sha") String commitSha, List<BlameLine> lines) {
    }

    public record GrepRequest(GrepQueryRequest query, String ref, Boolean ephemeral, List<String> paths,
                              @JsonProperty("file_filters") GrepFilters fileFilters, GrepContext context, GrepLimits limits,
                              GrepPagination pagination) {
    }

    public record GrepQueryRequest(String pattern, @JsonProperty("case_sensitive") Boolean caseSensitive) {
    }

    public record GrepFilters(@JsonProperty("include_globs") List<String> includeGlobs,
                              @JsonProperty("exclude_globs") List<String> excludeGlobs,
                              @JsonProperty("extension_filters") List<String> extensionFilters) {
    }

    public record GrepContext(Integer before, Integer after) {
    }

    public record GrepLimits(@JsonProperty("max_lines") Integer maxLines, @JsonProperty("max_matches_per_file") Integer maxMatchesPerFile) {
    }

    public record GrepPagination(String cursor, Integer limit) {
    }

    public record GrepQuery(String pattern, @JsonProperty("case_sensitive") boolean caseSensitive) {
    }

    public record GrepRepo(String ref, String commit) {
    }

    public record GrepLine(@JsonProperty("line_number") int lineNumber, String text, String type) {
    }

    public record GrepFileMatch(String path, List<GrepLine> lines) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GrepResult(GrepQuery query, GrepRepo repo, List<GrepFileMatch> matches, @JsonProperty("next_cursor") String nextCursor,
                             @JsonProperty("has_more") boolean hasMore) {
    }
}
