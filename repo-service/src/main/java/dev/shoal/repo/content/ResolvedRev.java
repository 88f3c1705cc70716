package dev.shoal.repo.content;

/** A revision resolved to a commit; ref is the full ref name when the revision named one. */
public record ResolvedRev(String sha, String ref) {
}
