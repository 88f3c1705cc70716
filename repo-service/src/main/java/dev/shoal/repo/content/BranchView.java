package dev.shoal.repo.content;

import com.fasterxml.jackson.annotation.JsonProperty;

public record BranchView(String name, String node, @JsonProperty("is_default") boolean isDefault,
                         @JsonProperty("protected") boolean isProtected) {
}
