package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** {@code release.published}: a release became visible (created as non-draft, or a draft published). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleasePublished(long id, @JsonProperty("tag_name") String tagName, String name, String body,
                               boolean prerelease, @JsonProperty("published_at") Instant publishedAt) {
}
