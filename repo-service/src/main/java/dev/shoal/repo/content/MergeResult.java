package dev.shoal.repo.content;

public record MergeResult(String sha, String method) {
}
