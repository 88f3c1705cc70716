package dev.shoal.repo.repo;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.platform.config.PublicUrl;
import java.time.Instant;

/** The internal API's view of a repository (adds org_id for other services). */
public record InternalRepoView(long id, @JsonProperty("org_id") long orgId, String org, String name,
                               String description, @JsonProperty("is_private") boolean isPrivate,
                               @JsonProperty("default_branch") String defaultBranch,
                               @JsonProperty("clone_url") String cloneUrl,
                               @JsonProperty("created_at") Instant createdAt,
                               @JsonProperty("updated_at") Instant updatedAt) {

    public static InternalRepoView of(Repo repo, PublicUrl publicUrl) {
        return new InternalRepoView(repo.id(), repo.orgId(), repo.org(), repo.name(), repo.description(),
                repo.isPrivate(), repo.defaultBranch(), RepoView.cloneUrl(repo, publicUrl), repo.createdAt(),
                repo.updatedAt());
    }
}
