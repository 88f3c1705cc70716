package dev.shoal.repo.protection;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A protected branch refuses force pushes (non-fast-forward updates) and deletion. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BranchProtection(String branch, @JsonProperty("protected") boolean isProtected,
                               @JsonProperty("allow_force_push") boolean allowForcePush,
                               @JsonProperty("allow_deletion") boolean allowDeletion,
                               @JsonProperty("created_at") Instant createdAt) {

    public static BranchProtection on(String branch, Instant since) {
        return new BranchProtection(branch, true, false, false, since);
    }

    public static BranchProtection off(String branch) {
        return new BranchProtection(branch, false, true, true, null);
    }
}
