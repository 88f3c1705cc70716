package dev.shoal.repo.release;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Size;

/** Every field optional: only the fields sent change. */
public record UpdateReleaseRequest(
        @JsonProperty("tag_name") @Size(min = 1, max = 200, message = "must be 1-200 characters") String tagName,
        @Size(max = 255, message = "must be at most 255 characters") String name,
        @Size(max = 1_000_000, message = "must be at most 1000000 characters") String body,
        Boolean draft,
        Boolean prerelease) {
}
