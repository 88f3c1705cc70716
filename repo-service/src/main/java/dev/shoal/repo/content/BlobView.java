package dev.shoal.repo.content;

/** A file's content inline: UTF-8 text as is, anything else base64-encoded. */
public record BlobView(String path, String content, long size, String encoding) {
}
