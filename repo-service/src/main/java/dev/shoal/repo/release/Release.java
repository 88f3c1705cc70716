package dev.shoal.repo.release;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** A release as the Isurus API shows it; published_at is null while it is a draft. */
public record Release(long id, @JsonProperty("tag_name") String tagName, String name, String body, boolean draft,
                      boolean prerelease, Author author, @JsonProperty("created_at") Instant createdAt,
                      @JsonProperty("published_at") Instant publishedAt, List<Asset> assets) {

    public record Author(Long id, String username) {
    }

    public record Asset(long id, String name, long size, @JsonProperty("content_type") String contentType,
                        @JsonProperty("download_url") String downloadUrl, @JsonProperty("created_at") Instant createdAt) {
    }

    public Release withAssets(List<Asset> list) {
        return new Release(id, tagName, name, body, draft, prerelease, author, createdAt, publishedAt, list);
    }
}
