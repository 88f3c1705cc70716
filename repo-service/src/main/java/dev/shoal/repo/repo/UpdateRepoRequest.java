package dev.shoal.repo.repo;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Size;

/** Every field optional: only the fields sent change. */
public record UpdateRepoRequest(
        @Size(max = 2000, message = "must be at most 2000 characters") String description,
        @JsonProperty("is_private") Boolean isPrivate,
        @JsonProperty("default_branch") String defaultBranch) {
}
