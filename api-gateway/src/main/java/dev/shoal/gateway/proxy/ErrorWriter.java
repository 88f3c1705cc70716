package dev.shoal.gateway.proxy;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes the envelope error for refusals decided in the gateway's router, before any resource runs. */
public final class ErrorWriter {

    private ErrorWriter() {
    }

    public static void write(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.request().resume();
        String body = new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode();
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }
}
