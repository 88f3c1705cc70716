package dev.shoal.gateway.proxy;

import dev.shoal.gateway.route.Route;
import io.quarkus.micrometer.runtime.binder.vertx.HttpRequestMetric;
import io.vertx.ext.web.RoutingContext;

/**
 * Names a forwarded request in {@code http_server_requests_seconds} by its route-table pattern
 * ({@code /api/v1/repos/{org}/{repo}/issues}), as Quarkus does for its own REST endpoints: without
 * it every concrete path was its own series, and Micrometer stopped recording after 100 of them.
 */
final class RouteMetricTag {

    private RouteMetricTag() {
    }

    static void name(RoutingContext ctx, Route route) {
        HttpRequestMetric metric = HttpRequestMetric.getRequestMetric(ctx);
        if (metric != null) {
            metric.setTemplatePath(route.pattern().text());
        }
    }
}
