package dev.shoal.issue.pull;

/** A comment on one line of a file, submitted with a review. */
public record NewLineComment(String path, int line, String body) {
}
