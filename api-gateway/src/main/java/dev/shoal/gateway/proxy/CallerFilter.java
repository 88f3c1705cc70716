package dev.shoal.gateway.proxy;

import dev.shoal.gateway.auth.CurrentToken;
import dev.shoal.gateway.auth.Principal;
import dev.shoal.platform.error.ErrorResponses;
import dev.shoal.platform.identity.Caller;
import dev.shoal.platform.identity.CurrentCaller;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Hands the caller the router authorized to the gateway's own resources, and fails closed: a request
 * that reaches a resource without the router's decision (a routing mistake, a path the framework
 * dispatched differently from what the router checked) is answered 404, as an unknown route. Without
 * this, the resource would fall back to whatever JWT the client sent.
 */
public class CallerFilter {

    private final CurrentCaller current;
    private final CurrentToken token;

    public CallerFilter(CurrentCaller current, CurrentToken token) {
        this.current = current;
        this.token = token;
    }

    @ServerRequestFilter(preMatching = true)
    public Response setCaller(RoutingContext ctx) {
        Caller caller = ctx.get(GatewayRouter.CALLER_KEY);
        if (caller == null) {
            return ErrorResponses.of(ctx.request(), 404, "not_found", "no such route: " + ctx.request().method().name() + " " + ctx.request().path());
        }
        current.set(caller);
        Principal principal = ctx.get(GatewayRouter.PRINCIPAL_KEY);
        token.set(principal);
        return null;
    }
}
