package dev.shoal.gateway.compat.pagure;

import java.time.LocalDate;

/** How many successful changes one request (method, route, path) made on one day. */
public record PagureActivityCount(LocalDate day, String method, String route, String path, long count) {
}
