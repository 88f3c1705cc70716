package dev.shoal.gateway.compat.pagure;

import java.time.Instant;

/** One successful change a user made through the gateway, as the audit log recorded it. */
public record PagureActivity(long id, Instant at, String method, String path, String route) {
}
