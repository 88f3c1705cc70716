package dev.shoal.repo.content;

/** A tag; node is the commit it points at (annotated tags peeled). */
public record TagView(String name, String node) {
}
