package dev.shoal.platform.observability;

import dev.shoal.platform.identity.InternalClaims;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Puts the request id into the logging MDC ({@code requestId}) for the whole request, ahead of
 * every other handler, so each log line a request causes carries it (the JSON logs of the prod
 * profile show it under {@code mdc}). The id is the gateway's {@code X-Request-Id}; a request
 * without a usable one (a client of the gateway, a probe) gets a fresh id, written back into the
 * request's headers so that the gateway forwards that same id, and answered in the response.
 *
 * <p>Quarkus keeps the MDC in the request's duplicated Vert.x context, not in a thread: it follows
 * the request to worker threads and back, and ends with it.
 */
@ApplicationScoped
public class RequestIdFilter {

    public static final String MDC_KEY = "requestId";
    /** The same rule as the gateway's: an id is short and safe to log. */
    private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    void install(@Observes Router router) {
        router.route().order(-20_000).handler(RequestIdFilter::handle);
    }

    static void handle(RoutingContext ctx) {
        String id = ctx.request().getHeader(InternalClaims.REQUEST_ID_HEADER);
        if (id == null || !USABLE.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
            ctx.request().headers().set(InternalClaims.REQUEST_ID_HEADER, id);
        }
        MDC.put(MDC_KEY, id);
        ctx.response().putHeader(InternalClaims.REQUEST_ID_HEADER, id);
        ctx.next();
    }
}
