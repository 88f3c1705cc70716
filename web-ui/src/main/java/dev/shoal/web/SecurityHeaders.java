package dev.shoal.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Headers on every answer: a Content-Security-Policy that allows scripts from this origin only (no
 * inline script, no eval), no framing, no sniffing. A comment that slipped past escaping still could
 * not run script.
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    void install(@Observes Router router) {
        router.route().order(-1_000).handler(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                var headers = ctx.response().headers();
                headers.set("Content-Security-Policy", CSP);
                headers.set("X-Content-Type-Options", "nosniff");
                headers.set("X-Frame-Options", "DENY");
                headers.set("Referrer-Policy", "same-origin");
                if (!ctx.request().path().startsWith("/webjars/") && !ctx.request().path().startsWith("/assets/")) {
                    headers.set("Cache-Control", "no-store");
                }
            });
            ctx.next();
        });
    }
}
