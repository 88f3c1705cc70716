package dev.shoal.repo.release;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Size;

public record CreateReleaseRequest(
        // Checked by the service, so the message names the JSON field tag_name.
        @JsonProperty("tag_name") String tagName,
        @Size(max = 255, message = "must be at most 255 characters") String name,
        @Size(max = 1_000_000, message = "must be at most 1000000 characters") String body,
        Boolean draft,
        Boolean prerelease) {
}
