package dev.shoal.repo.content;

import jakarta.validation.constraints.NotBlank;

/** Replay {@code branch}'s own commits on top of {@code onto} and move {@code branch} there (Pagure's PR rebase). */
public record RebaseRequest(
        @NotBlank(message = "is required: the branch to rebase (it is rewritten)") String branch,
        @NotBlank(message = "is required: the branch to rebase onto") String onto) {
}
