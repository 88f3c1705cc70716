package dev.shoal.gateway.proxy;

import dev.shoal.platform.compat.pagure.PagureErrors;
import dev.shoal.platform.compat.storage.StorageErrors;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes the envelope error for refusals decided in the gateway's router, before any resource runs.
 * Under {@code /api/0/} the caller speaks Pagure's dialect, so the same refusal is written in Pagure's
 * {@code {"error": message, "error_code": "E…"}} shape instead; under {@code /storage/api/} in Code
 * Storage's {@code {"error": message, "code": code}}.
 */
public final class ErrorWriter {

    private ErrorWriter() {
    }

    public static void write(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended()) {
            return;
        }
        // A paused body must be drained before the answer; a request already read whole must not be
        // resumed: HTTP/2 throws there, and the client would wait for an answer that never comes
        // (found by the whole-stack test killing a service under load).
        if (!ctx.request().isEnded()) {
            ctx.request().resume();
        }
        String path = ctx.request().path();
        String body;
        if (PagureErrors.isPagurePath(path)) {
            body = new JsonObject(PagureErrors.body(PagureErrors.codeFor(code, message),
                    PagureErrors.messageFor(PagureErrors.codeFor(code, message), message))).encode();
        } else if (StorageErrors.isStoragePath(path)) {
            body = new JsonObject(StorageErrors.body(code, message, null)).encode();
        } else {
            body = new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode();
        }
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }
}
