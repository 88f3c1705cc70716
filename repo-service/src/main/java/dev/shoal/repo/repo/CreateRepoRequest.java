package dev.shoal.repo.repo;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record CreateRepoRequest(
        @NotNull(message = "is required: 1-100 characters of a-z, A-Z, 0-9, '.', '_' or '-'") String name,
        @Size(max = 2000, message = "must be at most 2000 characters") String description,
        @JsonProperty("is_private") Boolean isPrivate,
        @JsonProperty("default_branch") String defaultBranch) {
}
