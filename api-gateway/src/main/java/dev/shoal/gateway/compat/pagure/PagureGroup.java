package dev.shoal.gateway.compat.pagure;

import java.time.Instant;

/** A Pagure group: a Shoal organization as Pagure's group endpoints show it. */
public record PagureGroup(long id, String name, String description, Instant createdAt) {
}
