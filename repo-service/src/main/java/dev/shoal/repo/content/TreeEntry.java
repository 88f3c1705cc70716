package dev.shoal.repo.content;

import com.fasterxml.jackson.annotation.JsonProperty;

public record TreeEntry(String name, @JsonProperty("is_dir") boolean isDir, long size) {
}
