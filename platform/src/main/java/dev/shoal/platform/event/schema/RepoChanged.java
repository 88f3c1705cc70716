package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code repo.created}, {@code repo.updated}, {@code repo.deleted}: the repository as it is after the change. */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record RepoChanged(long id, @JsonProperty("org_id") long orgId, String org, String name, String description,
                          @JsonProperty("is_private") boolean isPrivate,
                          @JsonProperty("default_branch") String defaultBranch) {
}
