package dev.shoal.repo.content;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record MergeRequest(
        @NotBlank(message = "is required: the branch to merge from") String source,
        @NotBlank(message = "is required: the branch to merge into") String target,
        @NotBlank(message = "is required: one of merge, squash, rebase, fast_forward") String method,
        @Size(max = 65536, message = "must be at most 65536 characters") String message,
        @JsonProperty("author_name") @Size(max = 200, message = "must be at most 200 characters") String authorName,
        @JsonProperty("author_email") @Size(max = 200, message = "must be at most 200 characters") String authorEmail) {
}
