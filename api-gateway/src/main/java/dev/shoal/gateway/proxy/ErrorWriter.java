package dev.shoal.gateway.proxy;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes refusals decided in the gateway's router, before any resource runs, in the dialect of the
 * request's path ({@link Dialects}): the envelope for Shoal's API, Pagure's
 * {@code {"error": message, "error_code": "E…"}} under {@code /api/0/}, Code Storage's
 * {@code {"error": message, "code": code}} under {@code /storage/api/}.
 */
@ApplicationScoped
public class ErrorWriter {

    private final Dialects dialects;

    public ErrorWriter(Dialects dialects) {
        this.dialects = dialects;
    }

    public void write(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended()) {
            return;
        }
        // A paused body must be drained before the answer; a request already read whole must not be
        // resumed: HTTP/2 throws there, and the client would wait for an answer that never comes
        // (found by the whole-stack test killing a service under load).
        if (!ctx.request().isEnded()) {
            ctx.request().resume();
        }
        String body = dialects.of(ctx.request().path()).errorBody(code, message);
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }
}
